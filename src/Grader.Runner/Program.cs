using Grader.Runner;

// The runner runs inside the sandbox. It owns the protocol channel and loads exactly one
// submission; the trusted side kills it afterwards.
var channel = ProtocolChannel.TakeOverStandardStreams();
// Managed, single-threaded linear algebra: no native provider to load, no worker threads.
MathNet.Numerics.Control.UseManaged();
MathNet.Numerics.Control.UseSingleThread();
MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider =
    new RunnerLinearAlgebra(MathNet.Numerics.Providers.LinearAlgebra.LinearAlgebraControl.Provider);
var session = new RunnerSession(channel);
return session.Serve();
