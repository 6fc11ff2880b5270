using Grader.Cli;

return await GraderCommand.RunAsync(args);
