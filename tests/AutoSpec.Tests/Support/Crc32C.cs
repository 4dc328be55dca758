namespace AutoSpec.Tests.Support;

/// <summary>
/// CRC-32C (Castagnoli; reflected polynomial 0x82F63B78, initial and final XOR 0xFFFFFFFF), bit by bit, written here
/// from the definition so that tests check TensorBoard records against a CRC that shares no code with the writer's.
/// </summary>
public static class Crc32C
{
    public static uint Of(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }
        return ~crc;
    }

    /// <summary>TFRecord's masked form of a CRC: rotated right by 15 bits plus 0xa282ead8.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Of(data);
        return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
    }
}
