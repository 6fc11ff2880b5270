using System.ComponentModel.DataAnnotations;

namespace Grader.Api.Database;

public sealed class DatabaseOptions
{
    // Apply pending migrations when the service starts (safe with several nodes: they take an
    // advisory lock). Unset: on in Development only.
    public bool? MigrateOnStart { get; set; }

    // Folder holding initdb/pg_ctl for the private cluster; searched for when empty.
    public string? PostgresBinDirectory { get; set; }

    [Required, RegularExpression("^[a-z_][a-z0-9_]*$")]
    public string EmbeddedDatabaseName { get; set; } = "grader";
}
