import Foundation

/// The hand-written parsers, each with what must hold for any input.
enum FuzzTarget: String, CaseIterable {
    case money, form, multipart, json, settings, socketURI = "socket-uri", orderedJSON = "ordered-json"

    static let current: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            fatalError("FUZZ_TARGET must be one of \(allCases.map(\.rawValue)), got '\(name)'")
        }
        return target
    }()

    func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .money: FieldFuzzing.money(text)
        case .form: FieldFuzzing.body(text, contentType: "application/x-www-form-urlencoded")
        case .multipart: FieldFuzzing.body(text, contentType: "multipart/form-data; boundary=X")
        case .json: FieldFuzzing.body(text, contentType: "application/json")
        case .settings: SettingsFuzzing.environment(text)
        case .socketURI: FieldFuzzing.socketTarget(text)
        case .orderedJSON: OrderedJSONFuzzing.roundTrip(bytes)
        }
    }
}
