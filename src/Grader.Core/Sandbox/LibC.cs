using System.Runtime.InteropServices;

namespace Grader.Core.Sandbox;

internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill")]
    public static partial int Kill(int pid, int signal);
}
