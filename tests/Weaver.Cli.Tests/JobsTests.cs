using System.Text.Json;

namespace Weaver.Cli.Tests;

public sealed class JobsTests(JobsStore store) : IClassFixture<JobsStore>
{
    [Fact]
    public async Task Jobs_lists_every_job_with_its_state_and_its_tasks_by_state()
    {
        var run = await WeaverCli.RunAsync("jobs", "--sqlite", store.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n');
        var build = Assert.Single(lines, line => line.Contains("build-42", StringComparison.Ordinal));
        Assert.Contains("Succeeded", build, StringComparison.Ordinal);
        Assert.Contains("3 succeeded", build, StringComparison.Ordinal);
        Assert.Contains("2025-06-01 12:00:00Z", build, StringComparison.Ordinal);
        var deploy = Assert.Single(lines, line => line.Contains("deploy-7", StringComparison.Ordinal));
        Assert.Contains("Failed (saga Compensated)", deploy, StringComparison.Ordinal);
        Assert.Contains("1 dead, 1 blocked, 1 compensated", deploy, StringComparison.Ordinal);
        var review = Assert.Single(lines, line => line.Contains("review-3", StringComparison.Ordinal));
        Assert.Contains("Running", review, StringComparison.Ordinal);
        Assert.Contains("1 pending, 1 queued", review, StringComparison.Ordinal);
        Assert.Contains("3 job(s), 1 running.", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_json_has_every_field_of_each_job()
    {
        var run = await WeaverCli.RunAsync("jobs", "--sqlite", store.Path, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var jobs = run.Json().GetProperty("jobs").EnumerateArray().ToList();
        Assert.Equal(["build-42", "deploy-7", "review-3"], jobs.Select(job => job.GetProperty("id").GetString()));
        var deploy = jobs[1];
        Assert.Equal("Failed", deploy.GetProperty("state").GetString());
        Assert.Equal("Compensated", deploy.GetProperty("saga").GetString());
        var tasks = deploy.GetProperty("tasks");
        Assert.Equal(Enum.GetNames<JobTaskState>(), tasks.EnumerateObject().Select(count => count.Name));
        Assert.Equal((1, 1, 1, 0), (tasks.GetProperty("Dead").GetInt32(), tasks.GetProperty("Blocked").GetInt32(), tasks.GetProperty("Compensated").GetInt32(), tasks.GetProperty("Succeeded").GetInt32()));
        Assert.Equal(JobsStore.StoreTime, deploy.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(JobsStore.StoreTime, deploy.GetProperty("updatedAt").GetDateTimeOffset());
        Assert.True(deploy.GetProperty("revision").GetInt64() > 1);
        Assert.Equal(JsonValueKind.Null, deploy.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, jobs[0].GetProperty("saga").ValueKind);
        Assert.Equal("Running", jobs[2].GetProperty("state").GetString());
    }

    [Fact]
    public async Task Status_shows_the_job_and_each_task_with_what_it_depends_on()
    {
        var run = await WeaverCli.RunAsync("status", "deploy-7", "--sqlite", store.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = run.Out.Split('\n');
        Assert.Contains(lines, line => line.Contains("State", StringComparison.Ordinal) && line.Contains("Failed", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.Contains("Saga", StringComparison.Ordinal) && line.Contains("Compensated", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("Reason", StringComparison.Ordinal) && line.Contains("charge", StringComparison.Ordinal));
        var charge = Assert.Single(lines, line => line.StartsWith("│ charge ", StringComparison.Ordinal));
        Assert.Contains("Dead", charge, StringComparison.Ordinal);
        Assert.Contains("reserve", charge, StringComparison.Ordinal);
        Assert.Contains("step charge was told to fail", charge, StringComparison.Ordinal);
        var ship = Assert.Single(lines, line => line.StartsWith("│ ship ", StringComparison.Ordinal));
        Assert.Contains("Blocked", ship, StringComparison.Ordinal);
        Assert.Contains("Compensations", run.Out, StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("│ reserve ", StringComparison.Ordinal) && line.Contains("undo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Status_json_is_the_job_status_record()
    {
        var run = await WeaverCli.RunAsync("status", "deploy-7", "--json", "--sqlite", store.Path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var status = run.Json();
        Assert.Equal("deploy-7", status.GetProperty("jobId").GetString());
        Assert.Equal("Failed", status.GetProperty("state").GetString());
        Assert.StartsWith("Task 'charge' is dead", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"reason\": \"Task 'charge' is dead", run.Out, StringComparison.Ordinal); // quotes are not escaped
        Assert.Equal("Compensated", status.GetProperty("saga").GetString());
        Assert.True(status.GetProperty("isTerminal").GetBoolean());
        var tasks = status.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["reserve", "charge", "ship"], tasks.Select(task => task.GetProperty("taskId").GetString()));
        Assert.Equal(["Compensated", "Dead", "Blocked"], tasks.Select(task => task.GetProperty("state").GetString()));
        Assert.Equal(["charge"], tasks[2].GetProperty("dependsOn").EnumerateArray().Select(id => id.GetString()));
        Assert.Equal(1, tasks[1].GetProperty("attempts").GetInt32());
        Assert.Contains("told to fail", tasks[1].GetProperty("error").GetString(), StringComparison.Ordinal);
        var compensation = Assert.Single(status.GetProperty("compensations").EnumerateArray());
        Assert.Equal(("reserve", "undo", "Succeeded"), (compensation.GetProperty("taskId").GetString(), compensation.GetProperty("kind").GetString(), compensation.GetProperty("state").GetString()));
        Assert.Equal(1, status.GetProperty("counts").GetProperty("Dead").GetInt32());
    }

    [Fact]
    public async Task Explain_prints_the_explanation_text_and_its_record_as_json()
    {
        var text = await WeaverCli.RunAsync("explain", "deploy-7", "--sqlite", store.Path);
        var json = await WeaverCli.RunAsync("explain", "deploy-7", "--sqlite", store.Path, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.True(json.ExitCode == 0, json.ToString());
        var explanation = json.Json();
        var summary = explanation.GetProperty("summary").GetString()!;
        Assert.StartsWith(summary, text.Out, StringComparison.Ordinal);
        Assert.Contains("charge (step): dead: InvalidOperationException: step charge was told to fail", text.Out, StringComparison.Ordinal);
        Assert.Contains("Compensations (last step first)", text.Out, StringComparison.Ordinal);
        Assert.Equal("deploy-7", explanation.GetProperty("jobId").GetString());
        Assert.Equal("Failed", explanation.GetProperty("state").GetString());
        Assert.Equal("Compensated", explanation.GetProperty("saga").GetString());
        var charge = explanation.GetProperty("tasks").EnumerateArray().Single(task => task.GetProperty("taskId").GetString() == "charge");
        var attempt = Assert.Single(charge.GetProperty("attempts").EnumerateArray());
        Assert.Equal("Failed", attempt.GetProperty("outcome").GetString());
        Assert.StartsWith("cli-test-worker", attempt.GetProperty("owner").GetString(), StringComparison.Ordinal);
        Assert.NotEmpty(explanation.GetProperty("decisions").EnumerateArray());
        Assert.Equal(text.Out.TrimEnd(), explanation.GetProperty("text").GetString()!.TrimEnd());
    }

    [Fact]
    public async Task Graph_prints_the_task_graph_as_mermaid()
    {
        var text = await WeaverCli.RunAsync("graph", "build-42", "--sqlite", store.Path);
        var json = await WeaverCli.RunAsync("graph", "build-42", "--sqlite", store.Path, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.StartsWith("flowchart TD\n", text.Out, StringComparison.Ordinal);
        Assert.Contains("t0[\"fetch<br/>Succeeded · 1 attempt\"]:::succeeded", text.Out, StringComparison.Ordinal);
        Assert.Contains("t0 --> t1", text.Out, StringComparison.Ordinal);
        Assert.Contains("t1 --> t2", text.Out, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal("build-42", json.Json().GetProperty("jobId").GetString());
        Assert.Equal(text.Out.TrimEnd(), json.Json().GetProperty("mermaid").GetString()!.TrimEnd());
    }

    [Fact]
    public async Task Reading_a_running_job_whose_coordinator_stopped_never_takes_it_over()
    {
        // review-3's row was last written at JobsStore.StoreTime, long before weaver's clock: a coordinator that resumed
        // jobs, or cancelled or annotated one, would take it over and write its row.
        var before = await store.ReadJobAsync("review-3");

        var status = await WeaverCli.RunAsync("status", "review-3", "--json", "--sqlite", store.Path);
        var jobs = await WeaverCli.RunAsync("jobs", "--sqlite", store.Path);
        var explain = await WeaverCli.RunAsync("explain", "review-3", "--sqlite", store.Path);
        var graph = await WeaverCli.RunAsync("graph", "review-3", "--sqlite", store.Path);

        Assert.All([status, jobs, explain, graph], run => Assert.True(run.ExitCode == 0, run.ToString()));
        var tasks = status.Json().GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["Queued", "Pending"], tasks.Select(task => task.GetProperty("state").GetString()));
        var after = await store.ReadJobAsync("review-3");
        Assert.Equal(before, after);
        Assert.Contains("fixture-coordinator", after.Document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_job_exits_1_and_says_how_to_list_the_ids()
    {
        foreach (var command in new[] { "status", "explain", "graph" })
        {
            var run = await WeaverCli.RunAsync(command, "no-such-job", "--sqlite", store.Path);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Equal("", run.Out);
            Assert.Contains($"No job 'no-such-job' in the SQLite store '{store.Path}'", run.Error, StringComparison.Ordinal);
            Assert.Contains("Run 'weaver jobs'", run.Error, StringComparison.Ordinal);
        }
    }
}
