using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using IntuneBanSync.Graph;

namespace IntuneBanSync.Functions.Tests.Composition;

/// <summary>Each further tenant's Graph client gets every shared Graph option; only its base URL is its own.</summary>
public sealed class TenantSweepsTests
{
    [Fact]
    public void Further_tenant_gets_every_shared_graph_option_and_its_own_base_url()
    {
        var settings = FunctionHost.ValidSettings();
        settings["IntuneBanSync:Tenant"] = "federal";
        settings["IntuneBanSync:Tenants:0:Name"] = "federal";
        settings["IntuneBanSync:Tenants:1:Name"] = "regional";
        settings["IntuneBanSync:Tenants:1:GraphBaseUrl"] = "https://graph.regional.example/v1.0";
        foreach (var (name, value) in NonDefaultGraphSettings())
            settings[$"{GraphOptions.Section}:{name}"] = value;
        using var host = FunctionHost.CreateBuilder(settings).Build();
        var shared = host.Services.GetRequiredService<IOptions<GraphOptions>>().Value;
        var tenants = host.Services.GetRequiredService<TenantSweeps>();

        var regional = tenants.GraphOptionsFor("regional");
        var federal = tenants.GraphOptionsFor("FEDERAL");

        Assert.Equal(shared with { BaseUrl = "https://graph.regional.example/v1.0" }, regional);
        Assert.Equal(shared, federal);
        foreach (var property in Settable())
            Assert.True(!Equals(property.GetValue(new GraphOptions()), property.GetValue(regional)), $"{property.Name} kept its default: the setting did not reach the further tenant");
    }

    private static IEnumerable<PropertyInfo> Settable() =>
        typeof(GraphOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name != nameof(GraphOptions.BaseUrl) && NonDefault(p) is not null);

    /// <summary>A value other than the default for every simple option, within its [Range], so a forgotten option shows.</summary>
    private static IEnumerable<(string Name, string Value)> NonDefaultGraphSettings() =>
        Settable().Select(p => (p.Name, NonDefault(p)!));

    private static string? NonDefault(PropertyInfo property)
    {
        var fallback = property.GetValue(new GraphOptions());
        var range = property.GetCustomAttribute<RangeAttribute>();
        return fallback switch
        {
            bool b => (!b).ToString(),
            int i when range is not null => (i == Convert.ToInt32(range.Minimum, CultureInfo.InvariantCulture) ? range.Maximum : range.Minimum).ToString(),
            double d when range is not null => (d == Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture) ? range.Maximum : range.Minimum).ToString(),
            TimeSpan t => (t + TimeSpan.FromSeconds(1)).ToString("c", CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
