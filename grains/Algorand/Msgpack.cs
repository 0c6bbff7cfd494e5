namespace FanForge.Grains.Algorand;

/// <summary>The MessagePack value families this codec knows; Algorand transactions use only a few of them.</summary>
public enum MsgpackType
{
    UnsignedInteger,
    /// <summary>Negative fixint or int8–int64: never canonical in a transaction, whose numbers are all unsigned.</summary>
    SignedInteger,
    Nil,
    Boolean,
    String,
    Binary,
    Array,
    Map,
}

/// <summary>MessagePack format bytes (msgpack spec "formats" table) shared by <see cref="MsgpackWriter"/> and <see cref="MsgpackReader"/>.</summary>
public static class Msgpack
{
    public const byte PositiveFixIntMax = 0x7f;
    public const byte FixMap = 0x80;
    public const byte FixArray = 0x90;
    public const byte FixStr = 0xa0;
    public const byte Nil = 0xc0;
    public const byte False = 0xc2;
    public const byte True = 0xc3;
    public const byte Bin8 = 0xc4;
    public const byte Bin16 = 0xc5;
    public const byte Bin32 = 0xc6;
    public const byte UInt8 = 0xcc;
    public const byte UInt16 = 0xcd;
    public const byte UInt32 = 0xce;
    public const byte UInt64 = 0xcf;
    public const byte Int8 = 0xd0;
    public const byte Int64 = 0xd3;
    public const byte Str8 = 0xd9;
    public const byte Str16 = 0xda;
    public const byte Str32 = 0xdb;
    public const byte Array16 = 0xdc;
    public const byte Array32 = 0xdd;
    public const byte Map16 = 0xde;
    public const byte Map32 = 0xdf;
    public const byte NegativeFixIntMin = 0xe0;

    public const int FixMapMaxCount = 15;
    public const int FixArrayMaxCount = 15;
    public const int FixStrMaxLength = 31;
}
