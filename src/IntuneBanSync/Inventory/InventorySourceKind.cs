namespace IntuneBanSync.Inventory;

/// <summary>Where a whole-tenant sweep learns which devices carry a banned app.</summary>
public enum InventorySourceKind
{
    /// <summary>detectedApps, matched by name, then each match's managedDevices: few requests while few apps match.</summary>
    AppDevices,

    /// <summary>One AppInvRawData export job (<see cref="ExportJobInventory"/>): a fixed handful of requests, whatever the tenant's size, but minutes of waiting.</summary>
    ExportJob,
}
