import AuctionCore
import Foundation
import Logging

/// One message as a line of text or of JSON, each ending in a newline.
struct LogLine {
    let time: Date
    let level: Logger.Level
    let label: String
    let message: String
    let metadata: Logger.Metadata

    /// `2026-12-01T10:30:00.123Z info auction: key=value message`
    var text: String {
        let fields = metadata.isEmpty
            ? "" : " " + metadata.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        return "\(Timestamp.format(time)) \(level) \(label):\(fields) \(message)\n"
    }

    /// `{"time":...,"level":...,"label":...,"message":...,<metadata>}`, written by hand
    /// with Core's escaping (no encoder per line). Metadata is flattened: a nested
    /// dictionary's keys are joined with dots, an array's items keyed by index.
    var json: String {
        var object = OrderedJSON()
        object.add("time", Timestamp.format(time))
        object.add("level", level.rawValue)
        object.add("label", label)
        object.add("message", message)
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            // A metadata key named like a fixed field would make a second, ambiguous key.
            Self.flatten(Self.fixedKeys.contains(key) ? "metadata.\(key)" : key, value, into: &object)
        }
        return object.json + "\n"
    }

    private static let fixedKeys: Set<String> = ["time", "level", "label", "message"]

    private static func flatten(_ key: String, _ value: Logger.MetadataValue, into object: inout OrderedJSON) {
        switch value {
        case .string(let text): object.add(key, text)
        case .stringConvertible(let value): object.add(key, value.description)
        case .dictionary(let dictionary):
            for (inner, value) in dictionary.sorted(by: { $0.key < $1.key }) {
                flatten("\(key).\(inner)", value, into: &object)
            }
        case .array(let values):
            for (index, value) in values.enumerated() { flatten("\(key).\(index)", value, into: &object) }
        }
    }
}
