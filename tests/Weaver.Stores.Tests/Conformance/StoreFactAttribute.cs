using Xunit.Abstractions;
using Xunit.Sdk;

namespace Weaver.Stores.Tests.Conformance;

/// <summary>
/// Put on a concrete conformance class to skip all of its tests with a reason decided at discovery (xunit 2 cannot skip
/// from inside a running test): a PostgreSQL provider's classes skip when no server can be had, as
/// <c>[PostgresFact]</c> does. Derive from it and return the reason, or null to run.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public abstract class StoreSkipAttribute : Attribute
{
    /// <summary>Why the class's tests are skipped; null when they run.</summary>
    public abstract string? SkipReason { get; }

    /// <summary>The skip reason of the class that holds <paramref name="testMethod"/>, if it has a <see cref="StoreSkipAttribute"/>.</summary>
    /// <param name="testMethod">The test method, as discovered on its concrete class.</param>
    /// <returns>The reason, or null.</returns>
    internal static string? ReasonFor(ITestMethod testMethod) =>
        testMethod.TestClass.Class.ToRuntimeType()?.GetCustomAttributes(typeof(StoreSkipAttribute), inherit: true)
            .OfType<StoreSkipAttribute>()
            .Select(skip => skip.SkipReason)
            .FirstOrDefault(reason => reason is not null);
}

/// <summary>A conformance fact: runs on every concrete class unless that class is marked with a <see cref="StoreSkipAttribute"/> that says skip.</summary>
[XunitTestCaseDiscoverer("Weaver.Stores.Tests.Conformance.StoreFactDiscoverer", "Weaver.Stores.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>A conformance theory: runs on every concrete class unless that class is marked with a <see cref="StoreSkipAttribute"/> that says skip.</summary>
[XunitTestCaseDiscoverer("Weaver.Stores.Tests.Conformance.StoreTheoryDiscoverer", "Weaver.Stores.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StoreTheoryAttribute : TheoryAttribute;

/// <summary>Discovers <see cref="StoreFactAttribute"/> tests, skipped when their class's <see cref="StoreSkipAttribute"/> says so.</summary>
/// <param name="diagnosticMessageSink">Where discovery reports problems.</param>
public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc/>
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        StoreSkipAttribute.ReasonFor(testMethod) is { } reason
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, factAttribute);
}

/// <summary>Discovers <see cref="StoreTheoryAttribute"/> tests, skipped when their class's <see cref="StoreSkipAttribute"/> says so.</summary>
/// <param name="diagnosticMessageSink">Where discovery reports problems.</param>
public sealed class StoreTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    /// <inheritdoc/>
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        StoreSkipAttribute.ReasonFor(testMethod) is { } reason
            ? [new XunitSkippedDataRowTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod, reason)]
            : base.Discover(discoveryOptions, testMethod, theoryAttribute);
}
