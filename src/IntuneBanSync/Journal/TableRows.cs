using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json.Serialization;
using Azure.Data.Tables;

namespace IntuneBanSync.Journal;

/// <summary>
/// The one entity style of every table we write (journal, stored ban lists, locks): a record becomes an entity column by
/// property, and back through its constructor, without a hand-written copy per field. Text is fitted by <see cref="TableText"/>;
/// enums are stored by name in kebab case; lists and nested records as JSON; a property marked <see cref="RowKeyAttribute"/>
/// or <see cref="PartitionKeyAttribute"/> is the key itself, not a column.
/// </summary>
internal static class TableRows
{
    private static readonly ConcurrentDictionary<Type, RowShape> Shapes = new();

    public static TableEntity ToEntity<T>(TableKey key, T row) where T : notnull
    {
        var entity = new TableEntity(key.PartitionKey, key.RowKey);
        foreach (var column in Shape(typeof(T)).Columns)
        {
            if (column.Key is not null)
                continue;
            column.Write(entity, column.Property.GetValue(row), typeof(T).Name);
        }

        return entity;
    }

    public static T ToRow<T>(TableEntity entity)
    {
        var shape = Shape(typeof(T));
        var arguments = shape.Parameters.Select(p => shape.Read(entity, p)).ToArray();
        return (T)shape.Constructor.Invoke(arguments);
    }

    private static RowShape Shape(Type type) => Shapes.GetOrAdd(type, t => new RowShape(t));

    private sealed class RowShape
    {
        public RowShape(Type type)
        {
            Type = type;
            Constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
            Parameters = Constructor.GetParameters();
            Columns = [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && Parameters.Any(a => Same(a.Name, p.Name)))
                .Select(p => new Column(p, Parameters.First(a => Same(a.Name, p.Name))))];
        }

        public Type Type { get; }

        public ConstructorInfo Constructor { get; }

        public ParameterInfo[] Parameters { get; }

        public IReadOnlyList<Column> Columns { get; }

        public object? Read(TableEntity entity, ParameterInfo parameter)
        {
            var column = Columns.FirstOrDefault(c => Same(c.Property.Name, parameter.Name));
            if (column?.Key is KeyPart.Partition)
                return entity.PartitionKey;
            if (column?.Key is KeyPart.Row)
                return entity.RowKey;
            if (column is not null && column.TryRead(entity, out var value))
                return value;
            if (parameter.HasDefaultValue)
                return parameter.DefaultValue;
            if (!parameter.ParameterType.IsValueType || Nullable.GetUnderlyingType(parameter.ParameterType) is not null)
            {
                if (IsNullable(parameter))
                    return null;
            }

            throw new InvalidDataException(
                $"Row {entity.PartitionKey}/{entity.RowKey} has no column {parameter.Name}, which a {Type.Name} needs.");
        }

        private static bool IsNullable(ParameterInfo parameter) =>
            Nullable.GetUnderlyingType(parameter.ParameterType) is not null
            || new NullabilityInfoContext().Create(parameter).WriteState == NullabilityState.Nullable;

        private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class Column
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
        {
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        };

        // A record's positional parameter carries its attributes unless they say [property: …]; either place counts.
        public Column(PropertyInfo property, ParameterInfo parameter)
        {
            Property = property;
            Key = Attribute<PartitionKeyAttribute>(property, parameter) is not null ? KeyPart.Partition
                : Attribute<RowKeyAttribute>(property, parameter) is not null ? KeyPart.Row
                : null;
            ExplicitText = Attribute<TextAttribute>(property, parameter);
            Chunked = Attribute<ChunkedAttribute>(property, parameter);
            Flattened = Attribute<FlattenAttribute>(property, parameter) is not null;
            ValueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        public PropertyInfo Property { get; }

        public KeyPart? Key { get; }

        private TextAttribute? ExplicitText { get; }

        private TextAttribute Text => ExplicitText ?? TextAttribute.Default;

        private ChunkedAttribute? Chunked { get; }

        private bool Flattened { get; }

        private Type ValueType { get; }

        private string Name => Property.Name;

        public void Write(TableEntity entity, object? value, string rowType)
        {
            if (value is null)
                return;
            if (Flattened)
            {
                foreach (var column in Shape(ValueType).Columns)
                    column.Write(entity, column.Property.GetValue(value), rowType);
                return;
            }

            if (Chunked is { } chunked)
            {
                var parts = TableText.Chunks((string)value, chunked.PartLength, chunked.MaxParts, $"{rowType}.{Name}");
                for (var i = 0; i < parts.Count; i++)
                    entity[ChunkName(i)] = parts[i];
                return;
            }

            entity[Name] = value switch
            {
                string text => TableText.Fit(text, Text.MaxLength, Text.Overflow, $"{rowType}.{Name}"),
                bool or int or long or double or DateTimeOffset or Guid => value,
                DateTime dateTime => new DateTimeOffset(dateTime, TimeSpan.Zero),
                Enum e => EnumName(e),
                ITableName name => name.Name,
                _ => TableText.Fit(
                    JsonSerializer.Serialize(value, Property.PropertyType, Json), ExplicitText?.MaxLength ?? TableText.MaxLongText, TextOverflow.Refuse, $"{rowType}.{Name}"),
            };
        }

        public bool TryRead(TableEntity entity, out object? value)
        {
            if (Flattened)
            {
                var shape = Shape(ValueType);
                value = shape.Constructor.Invoke([.. shape.Parameters.Select(p => shape.Read(entity, p))]);
                return true;
            }

            if (Chunked is not null)
            {
                var parts = new List<string>();
                while (entity.TryGetValue(ChunkName(parts.Count), out var part) && part is string text)
                    parts.Add(text);
                value = parts.Count == 0 ? null : string.Concat(parts);
                return parts.Count > 0;
            }

            if (!entity.TryGetValue(Name, out var stored) || stored is null)
            {
                value = null;
                return false;
            }

            value = ValueType switch
            {
                _ when ValueType == typeof(string) => stored.ToString(),
                _ when ValueType == typeof(bool) => Convert.ToBoolean(stored, CultureInfo.InvariantCulture),
                _ when ValueType == typeof(int) => Convert.ToInt32(stored, CultureInfo.InvariantCulture),
                _ when ValueType == typeof(long) => Convert.ToInt64(stored, CultureInfo.InvariantCulture),
                _ when ValueType == typeof(double) => Convert.ToDouble(stored, CultureInfo.InvariantCulture),
                _ when ValueType == typeof(DateTimeOffset) => stored is DateTime dt ? new DateTimeOffset(dt, TimeSpan.Zero) : (DateTimeOffset)stored,
                _ when ValueType == typeof(Guid) => stored is Guid guid ? guid : Guid.Parse(stored.ToString()!),
                _ when ValueType.IsEnum => ParseEnum(ValueType, stored.ToString()!, entity),
                _ when typeof(ITableName).IsAssignableFrom(ValueType) => Activator.CreateInstance(ValueType, stored.ToString()),
                _ => JsonSerializer.Deserialize(stored.ToString()!, Property.PropertyType, Json),
            };
            return true;
        }

        private static TAttribute? Attribute<TAttribute>(PropertyInfo property, ParameterInfo parameter) where TAttribute : Attribute =>
            property.GetCustomAttribute<TAttribute>() ?? parameter.GetCustomAttribute<TAttribute>();

        private string ChunkName(int index) => $"{Name}{index:D2}";

        private static object ParseEnum(Type type, string stored, TableEntity entity)
        {
            var plain = stored.Replace("-", "", StringComparison.Ordinal);
            return Enum.TryParse(type, plain, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!)
                ? parsed!
                : throw new InvalidDataException($"Row {entity.PartitionKey}/{entity.RowKey} holds '{stored}', which is not a {type.Name}.");
        }
    }

    public static string EnumName(Enum value) => WireName.Of(value);

    private enum KeyPart { Partition, Row }
}

/// <summary>The property is the entity's PartitionKey, not a column.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class PartitionKeyAttribute : Attribute;

/// <summary>The property is the entity's RowKey, not a column.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class RowKeyAttribute : Attribute;

/// <summary>A nested record whose properties are columns of the row itself (the counts of a run).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class FlattenAttribute : Attribute;

/// <summary>How long a text column may be, and what happens to a longer value.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class TextAttribute(int maxLength, TextOverflow overflow) : Attribute
{
    public static TextAttribute Default { get; } = new(TableText.MaxShortText, TextOverflow.Cut);

    public int MaxLength { get; } = maxLength;

    public TextOverflow Overflow { get; } = overflow;
}

/// <summary>A long text spread over columns Name00, Name01, …: one Table string holds 64 KiB.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
internal sealed class ChunkedAttribute(int partLength, int maxParts) : Attribute
{
    public int PartLength { get; } = partLength;

    public int MaxParts { get; } = maxParts;
}

/// <summary>
/// A small typed name (an action, a resource kind, a mechanism) that is a string only in a row or in JSON. Implementations are
/// record structs with one string constructor parameter.
/// </summary>
public interface ITableName
{
    string Name { get; }
}
