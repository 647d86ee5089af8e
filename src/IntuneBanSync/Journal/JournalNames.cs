using System.Text.Json.Serialization;

namespace IntuneBanSync.Journal;

/// <summary>What a write does ("add-member", "create-policy"); each mechanism names its own.</summary>
[JsonConverter(typeof(TableNameJsonConverter<WriteAction>))]
public readonly record struct WriteAction(string Name) : ITableName
{
    public override string ToString() => Name;
}

/// <summary>A kind of tenant object IntuneBanSync creates ("group", "app-assignment", "compliance-policy"); each mechanism names its own.</summary>
[JsonConverter(typeof(TableNameJsonConverter<ResourceKind>))]
public readonly record struct ResourceKind(string Name) : ITableName
{
    public override string ToString() => Name;
}

/// <summary>One way of acting on a tenant for a ban ("uninstall-assignment", "compliance").</summary>
[JsonConverter(typeof(TableNameJsonConverter<MechanismName>))]
public readonly record struct MechanismName(string Name) : ITableName
{
    public override string ToString() => Name;
}

/// <summary>A typed name is a plain string in JSON.</summary>
public sealed class TableNameJsonConverter<T> : JsonConverter<T> where T : struct, ITableName
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (T)Activator.CreateInstance(typeof(T), reader.GetString() ?? throw new JsonException($"A {typeof(T).Name} is a string."))!;

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Name);
}
