using Microsoft.Data.Sqlite;

namespace Weaver.Stores.Tests.Sqlite;

/// <summary>Microsoft.Data.Sqlite and its native library work here, with the write-ahead log the store will use.</summary>
public sealed class SqliteSmokeTests
{
    [Fact]
    public async Task Opens_a_file_database_in_wal_mode()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weaver-sqlite-{Guid.NewGuid():N}.db");
        var connection = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString;
        try
        {
            await using var db = new SqliteConnection(connection);
            await db.OpenAsync();

            await using (var command = db.CreateCommand())
            {
                command.CommandText = "PRAGMA journal_mode=WAL";
                Assert.Equal("wal", await command.ExecuteScalarAsync());
            }

            await using (var command = db.CreateCommand())
            {
                command.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO t (name) VALUES ($name);";
                command.Parameters.AddWithValue("$name", "weaver");
                await command.ExecuteNonQueryAsync();
            }

            await using (var command = db.CreateCommand())
            {
                command.CommandText = "SELECT name FROM t WHERE id = 1";
                Assert.Equal("weaver", await command.ExecuteScalarAsync());
            }

            Assert.True(File.Exists(path + "-wal"));
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
