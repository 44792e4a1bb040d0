using Verify = Weaver.Analyzers.Tests.Infrastructure.CodeFixVerifier<Microsoft.CodeAnalysis.Testing.EmptyDiagnosticAnalyzer, Weaver.Analyzers.CodeFixes.Declarations.MakePartialCodeFix>;

namespace Weaver.Analyzers.Tests.Declarations;

/// <summary>
/// The generator reports WVR0001 and WVR0020; the code fix applies to them like to any diagnostic. The verifier
/// applies it one diagnostic at a time and with Fix All in the document, the project and the solution.
/// </summary>
public sealed class MakePartialCodeFixTests
{
    [Fact]
    public async Task A_machine_that_is_not_partial_is_made_partial()
    {
        var source = """
            using Weaver;

            [TaskMachine]
            public sealed class {|WVR0001:ExportJob|}
            {
                public enum State { [Initial] Pending, [Terminal] Done }

                [Transition(State.Pending, State.Done)]
                public partial bool {|CS0751:{|CS8795:TryFinish|}|}();
            }
            """;
        var fixedSource = """
            using Weaver;

            [TaskMachine]
            public sealed partial class ExportJob
            {
                public enum State { [Initial] Pending, [Terminal] Done }

                [Transition(State.Pending, State.Done)]
                public partial bool TryFinish();
            }
            """;

        await Verify.VerifyAsync(source, fixedSource);
    }

    [Fact]
    public async Task Fix_all_makes_a_nested_machine_its_container_a_record_and_a_handler_partial()
    {
        var source = """
            using System.Threading.Tasks;
            using Weaver;

            public static class {|WVR0001:Outer|}
            {
                [TaskMachine]
                public partial class Inner
                {
                    public enum State { [Initial] Pending, [Terminal] Done }

                    [Transition(State.Pending, State.Done)]
                    public partial bool {|CS8795:TryFinish|}();
                }
            }

            [TaskMachine]
            internal record {|WVR0001:Order|}
            {
                public enum State { [Initial] New, [Terminal] Shipped }

                [Transition(State.New, State.Shipped)]
                public partial bool {|CS0751:{|CS8795:TryShip|}|}();
            }

            [TaskHandler("ping")]
            public sealed class {|WVR0020:PingHandler|} : ITaskHandler<string, string>
            {
                public ValueTask<string> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input);
            }
            """;
        var fixedSource = """
            using System.Threading.Tasks;
            using Weaver;

            public static partial class Outer
            {
                [TaskMachine]
                public partial class Inner
                {
                    public enum State { [Initial] Pending, [Terminal] Done }

                    [Transition(State.Pending, State.Done)]
                    public partial bool TryFinish();
                }
            }

            [TaskMachine]
            internal partial record Order
            {
                public enum State { [Initial] New, [Terminal] Shipped }

                [Transition(State.New, State.Shipped)]
                public partial bool TryShip();
            }

            [TaskHandler("ping")]
            public sealed partial class PingHandler : ITaskHandler<string, string>
            {
                public ValueTask<string> HandleAsync(string input, TaskContext context) => ValueTask.FromResult(input);
            }
            """;

        await Verify.VerifyAsync(source, fixedSource);
    }
}
