using System.Runtime.InteropServices;

namespace Grader.Core.Sandbox;

internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();
}
