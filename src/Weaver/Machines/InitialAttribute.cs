namespace Weaver;

/// <summary>Marks the state a new machine starts in. Exactly one state of a machine carries it.</summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class InitialAttribute : Attribute
{
}
