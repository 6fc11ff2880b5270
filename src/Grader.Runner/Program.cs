using Grader.Runner;

// The runner runs inside the sandbox. It owns the protocol channel and loads exactly one
// submission; the trusted side kills it afterwards.
var channel = ProtocolChannel.TakeOverStandardStreams();
var session = new RunnerSession(channel);
return session.Serve();
