/// A `Decoder` over a request's fields, so that inputs are `Decodable` structs.
/// Every field is text: `String` is decoded with the fields' rules (absent is
/// "field required", NUL and structured values refused); money and numbers are
/// read from that text by `KeyedDecodingContainer`'s field readers, so that the
/// 422 texts name the field and its range.
struct FieldsDecoder: Decoder {
    let fields: RequestFields
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container(fields: fields))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "fields are a flat set"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(String.self, .init(codingPath: [], debugDescription: "fields are a flat set"))
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let fields: RequestFields
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { fields.names.compactMap(Key.init(stringValue:)) }

        func contains(_ key: Key) -> Bool { fields.contains(key.stringValue) }
        func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try fields.requiredText(key.stringValue) }

        // Only text is decoded here; the field readers parse it.
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { throw mismatch(type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { throw mismatch(type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { throw mismatch(type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { throw mismatch(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { throw mismatch(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { throw mismatch(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { throw mismatch(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { throw mismatch(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { throw mismatch(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { throw mismatch(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { throw mismatch(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { throw mismatch(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { throw mismatch(type, key) }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard type == NumericText.self,
                  let value = NumericText(text: try fields.requiredNumeric(key.stringValue)) as? T
            else { throw mismatch(type, key) }
            return value
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            throw mismatch([String: Any].self, key)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw mismatch([Any].self, key)
        }
        func superDecoder() throws -> any Decoder { FieldsDecoder(fields: fields) }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw mismatch(Any.self, key) }

        private func mismatch(_ type: Any.Type, _ key: Key) -> DecodingError {
            .typeMismatch(type, .init(codingPath: [key], debugDescription: "request fields are read as text"))
        }
    }
}
