using Weaver.Tests.Machines;
using Weaver.Tests.Machines.BlockScoped;
using Weaver.Tests.Support;

namespace Weaver.Tests;

/// <summary>Each way of declaring a machine type compiles and behaves the same.</summary>
public sealed class DeclarationShapeTests
{
    [Fact]
    public void Public_class_in_a_file_scoped_namespace() => LifecycleDriver.Drive<ClassShape, ClassShape.State>();

    [Fact]
    public void Record_class() => LifecycleDriver.Drive<RecordShape, RecordShape.State>();

    [Fact]
    public void Record_struct() => LifecycleDriver.Drive<RecordStructShape, RecordStructShape.State>();

    [Fact]
    public void Plain_struct() => LifecycleDriver.Drive<StructShape, StructShape.State>();

    [Fact]
    public void Global_namespace() => LifecycleDriver.Drive<GlobalNamespaceShape, GlobalNamespaceShape.State>();

    [Fact]
    public void Nested_block_namespaces() => LifecycleDriver.Drive<BlockNamespaceShape, BlockNamespaceShape.State>();

    [Fact]
    public void Nested_two_levels_in_a_partial_class_and_a_partial_struct() =>
        LifecycleDriver.Drive<NestingOuter.Middle.NestedShape, NestingOuter.Middle.NestedShape.State>();

    [Fact]
    public void Internal_class() => LifecycleDriver.Drive<InternalShape, InternalShape.State>();

    [Fact]
    public void Private_nested_class() => PrivateShapeHost.DriveHiddenMachine();

    [Fact]
    public void Private_nested_class_works_through_a_public_interface()
    {
        var machine = PrivateShapeHost.CreateHiddenMachine();

        Assert.True(machine.TryBegin());
        Assert.False(machine.TryBegin());
        Assert.Equal("Busy", PrivateShapeHost.StateOf(machine));
        Assert.True(machine.TryEnd());
        Assert.Equal("Done", PrivateShapeHost.StateOf(machine));
    }

    [Fact]
    public void Default_struct_is_in_the_initial_state()
    {
        Assert.Equal(StructShape.State.Idle, default(StructShape).Current);
        Assert.Equal(RecordStructShape.State.Idle, default(RecordStructShape).Current);

        var machine = default(StructShape);
        Assert.True(machine.TryBegin());
        Assert.Equal(StructShape.State.Busy, machine.Current);
    }

    [Fact]
    public void Struct_machines_have_value_semantics()
    {
        var original = new StructShape();
        var copy = original;

        Assert.True(copy.TryBegin());

        Assert.Equal(StructShape.State.Idle, original.Current);
        Assert.Equal(StructShape.State.Busy, copy.Current);
    }

    [Fact]
    public void Struct_Restore_returns_the_updated_copy()
    {
        var fresh = default(StructShape);

        var restored = StructShape.Restore(fresh, StructShape.State.Busy);

        Assert.Equal(StructShape.State.Busy, restored.Current);
        Assert.Equal(StructShape.State.Idle, fresh.Current);
        Assert.Equal(StructShape.State.Done, StructShape.Restore(StructShape.State.Done).Current);
    }

    [Fact]
    public void Record_equality_and_with_include_the_state()
    {
        var first = new RecordShape();
        var second = new RecordShape();
        Assert.Equal(first, second);

        Assert.True(first.TryBegin());
        Assert.NotEqual(first, second);

        var copy = first with { };
        Assert.Equal(RecordShape.State.Busy, copy.Current);
        Assert.True(copy.TryEnd());
        Assert.Equal(RecordShape.State.Busy, first.Current);
    }
}
