using Grader.Cli;

return await Commands.RunAsync(args);
