/// The element types a safetensors file can declare (the spec's `dtype` strings).
///
/// Every type is recognised so that a file holding, say, an `I64` index tensor beside its `F32` weights still
/// opens; only `F32`, `F16` and `BF16` convert to `Float`.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8", f8e5m2 = "F8_E5M2", f8e4m3 = "F8_E4M3"
    case i16 = "I16", u16 = "U16", f16 = "F16", bf16 = "BF16"
    case i32 = "I32", u32 = "U32", f32 = "F32"
    case i64 = "I64", u64 = "U64", f64 = "F64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e5m2, .f8e4m3: 1
        case .i16, .u16, .f16, .bf16: 2
        case .i32, .u32, .f32: 4
        case .i64, .u64, .f64: 8
        }
    }

    /// True for the types `SafetensorsFile.floats(_:)` converts.
    public var convertsToFloat: Bool { self == .f32 || self == .f16 || self == .bf16 }
}
