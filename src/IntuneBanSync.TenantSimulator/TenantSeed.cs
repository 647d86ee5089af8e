namespace IntuneBanSync.TenantSimulator;

/// <summary>What the generator builds; the same seed always yields the same tenant.</summary>
public sealed record TenantSeed
{
    public int Seed { get; init; } = 42;
    public int Users { get; init; } = 220;
    public int Devices { get; init; } = 300;
    public DateTimeOffset Now { get; init; } = new(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);

    public double PersonalShare { get; init; } = 0.35;
    public double UnknownOwnershipShare { get; init; } = 0.02;
    public double StaleShare { get; init; } = 0.1;
    public double TikTokShare { get; init; } = 0.08;
    public double DecoyShare { get; init; } = 0.04;
    public double UserlessShare { get; init; } = 0.03;
    public double UnknownOsShare { get; init; } = 0.01;

    public static TenantSeed Small => Sized(300);

    public static TenantSeed Demo => Sized(2000);

    public static TenantSeed Sized(int devices, int seed = 42) =>
        new() { Devices = devices, Users = Math.Max(10, devices * 3 / 4), Seed = seed };
}
