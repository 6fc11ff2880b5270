using System.ComponentModel.DataAnnotations;

namespace Grader.Api.Database;

public sealed class DatabaseOptions
{
    /// <summary>Apply pending migrations when the service starts (safe with several nodes: they take an advisory lock).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Folder holding initdb/pg_ctl for the private cluster; searched for when empty.</summary>
    public string? PostgresBinDirectory { get; set; }

    [Required, RegularExpression("^[a-z_][a-z0-9_]*$")]
    public string EmbeddedDatabaseName { get; set; } = "grader";
}
