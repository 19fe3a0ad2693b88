/// A setting that stops the start. The description is the one line printed.
public struct SettingsError: Error, CustomStringConvertible, Equatable {
    public let key: String
    public let environmentVariable: String
    public let problem: String

    public init(key: String, environmentVariable: String, problem: String) {
        self.key = key
        self.environmentVariable = environmentVariable
        self.problem = problem
    }

    public var description: String {
        "configuration error: \(key) (\(environmentVariable)) \(problem)"
    }
}
