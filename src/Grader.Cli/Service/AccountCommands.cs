using System.CommandLine;
using Spectre.Console;

namespace Grader.Cli.Service;

/// <summary>login and logout: which server this command talks to, and as whom.</summary>
internal static class AccountCommands
{
    private const string SignInSegment = "/sign-in/";

    public static Command Login(Option<bool> json)
    {
        var target = new Argument<string>("server-url")
        {
            Description = "The course's Grader server (https://grader.example.edu), or the one-time sign-in link it gave you (…/sign-in/<token>).",
        };
        var apiKey = new Option<string?>("--api-key") { Description = "Your API key (otherwise read from stdin when piped, or asked for)." };
        var command = new Command("login", "Log in to a Grader server with an API key or a one-time sign-in link; the key is kept in your config folder (mode 0600).")
        {
            target, apiKey,
        };
        command.SetAction((parse, cancellationToken) => LoginAsync(new Terminal(parse.GetValue(json)), parse.GetValue(target)!, parse.GetValue(apiKey), cancellationToken));
        return command;
    }

    public static Command Logout(Option<bool> json)
    {
        var command = new Command("logout", "Forget the stored server and API key.");
        command.SetAction(parse =>
        {
            var terminal = new Terminal(parse.GetValue(json));
            bool removed = Credentials.Delete();
            if (terminal.Json)
            {
                terminal.WriteJson(new { loggedOut = removed, path = Credentials.Path });
            }
            else
            {
                terminal.Success(removed ? $"Logged out: removed {Credentials.Path}." : "You were not logged in.");
            }
            return 0;
        });
        return command;
    }

    private static async Task<int> LoginAsync(Terminal terminal, string target, string? apiKey, CancellationToken cancellationToken)
    {
        Credentials credentials;
        int signIn = target.IndexOf(SignInSegment, StringComparison.Ordinal);
        if (signIn >= 0 && apiKey is null)
        {
            var server = ServerClient.NormalizeServer(target[..signIn]);
            var token = target[(signIn + SignInSegment.Length)..].Trim('/');
            if (token.Length == 0 || token.Contains('/', StringComparison.Ordinal) || token.Contains('?', StringComparison.Ordinal))
            {
                throw new CliException($"'{target}' is not a sign-in link: it looks like {server}{SignInSegment}<token>.");
            }
            using var anonymous = new ServerClient(server, apiKey: null);
            var exchanged = await terminal.WithSpinnerAsync("Exchanging the sign-in link for an API key",
                _ => anonymous.PostJsonAsync<SignInExchangeView, SignInExchangeRequest>("api/sign-in-links/exchange", new(token, "grader cli"), cancellationToken));
            credentials = new Credentials(server, exchanged.ApiKey, exchanged.UserId, exchanged.Role);
        }
        else
        {
            var server = ServerClient.NormalizeServer(target);
            var key = (apiKey ?? ReadKey(terminal, server)).Trim();
            if (key.Length == 0)
            {
                throw new CliException("No API key given: pass --api-key, pipe it on stdin, or type it when asked.");
            }
            using var client = new ServerClient(server, key);
            var me = await terminal.WithSpinnerAsync($"Checking the key with {server}", _ => client.GetAsync<UserView>("api/me", cancellationToken));
            credentials = new Credentials(server, key, me.Id.ToString(), me.Role);
        }
        credentials.Save();
        if (terminal.Json)
        {
            terminal.WriteJson(new { credentials.Server, credentials.UserId, credentials.Role, path = Credentials.Path });
        }
        else
        {
            terminal.Success($"Logged in to {credentials.Server} as a {credentials.Role} (user {credentials.UserId}). Key saved in {Credentials.Path}.");
        }
        return 0;
    }

    private static string ReadKey(Terminal terminal, string server)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? "";
        }
        return terminal.Err.Prompt(new TextPrompt<string>($"API key for {Terminal.Safe(server)}:").Secret());
    }
}
