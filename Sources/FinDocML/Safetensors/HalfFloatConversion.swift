/// IEEE 754 binary16 → binary32 by bit manipulation.
///
/// Swift's `Float16` is unavailable on Intel macOS, and this is exact for every input (normals, subnormals,
/// infinities, NaN), so the conversion is written out once here.
enum HalfFloatConversion {
    /// The `Float` whose value equals the half-precision number with bit pattern `bits`.
    static func float(fromHalfBits bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x03FF)
        if exponent == 0 {
            // Zero or subnormal: mantissa × 2^-24, exact in Float.
            let magnitude = Float(mantissa) * Float(bitPattern: 0x3380_0000)
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }
}
