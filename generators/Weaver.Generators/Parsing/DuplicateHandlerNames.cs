using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Weaver.Generators.Model;

namespace Weaver.Generators.Parsing;

/// <summary>Finds the handlers of a compilation that share a task kind (compared ordinally, as the runtime registry does).</summary>
internal static class DuplicateHandlerNames
{
    /// <summary>One entry per handler whose name another handler uses too, in the order the handlers came.</summary>
    public static ImmutableArray<DuplicateHandlerName> Find(ImmutableArray<HandlerNameInfo> names, CancellationToken cancellationToken)
    {
        var byName = new Dictionary<string, List<int>>(System.StringComparer.Ordinal);
        for (var i = 0; i < names.Length; i++)
        {
            if (!byName.TryGetValue(names[i].Name, out var indices))
            {
                byName.Add(names[i].Name, indices = new List<int>());
            }

            indices.Add(i);
        }

        var result = ImmutableArray.CreateBuilder<DuplicateHandlerName>();
        for (var i = 0; i < names.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var indices = byName[names[i].Name];
            if (indices.Count > 1)
            {
                var others = indices.Where(j => j != i).Select(j => names[j].DisplayName).ToEquatableArray();
                result.Add(new DuplicateHandlerName(names[i], others));
            }
        }

        return result.ToImmutable();
    }
}
