using Microsoft.CodeAnalysis;

namespace Weaver.Generators.Parsing;

/// <summary>
/// Whether generated code may use dependency injection: the compilation sees <c>IServiceCollection</c>
/// (Microsoft.Extensions.DependencyInjection.Abstractions, which the Weaver package brings) and Weaver's hosting
/// (<c>WeaverServiceCollectionExtensions</c>). A project that references the runtime without them still compiles,
/// without the parts that need them.
/// </summary>
internal static class ServiceCollectionSupport
{
    public const string ServiceCollectionName = "Microsoft.Extensions.DependencyInjection.IServiceCollection";

    public const string HostingExtensionsName = "Microsoft.Extensions.DependencyInjection.WeaverServiceCollectionExtensions";

    public static bool IsAvailable(Compilation compilation) =>
        compilation.GetTypeByMetadataName(ServiceCollectionName) is not null
        && compilation.GetTypeByMetadataName(HostingExtensionsName) is not null;
}
