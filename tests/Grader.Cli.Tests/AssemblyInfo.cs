// The tests start PostgreSQL and the sandbox from Linux binaries.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
