namespace Grader.Core.Sandbox;

/// <summary>The sandbox could not do its job (runners would not start, or were killed from outside): retry later.</summary>
public sealed class SandboxFailureException(string message, Exception? inner = null) : Exception(message, inner);
