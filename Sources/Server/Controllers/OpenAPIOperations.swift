/// Every HTTP operation of the API with every status it can answer: the paths of
/// the OpenAPI document are rendered from this table, and the router answers 405
/// for a method that a documented path does not have.
struct OpenAPIOperation: Sendable {
    enum Body: Sendable {
        case none
        /// The same fields as a form, JSON or multipart body: the schema's name, and
        /// the form's when it differs (no null in a form).
        case fields(String, form: String? = nil)
    }

    let method: String
    let path: String
    let summary: String
    var secured = false
    var parameters: [String] = []
    var body: Body = .none
    /// Status code to the JSON of its response object.
    let responses: [(status: Int, json: String)]

    /// `post_lots_lot_id_bids`: the method and the path's words (`_slash` for the
    /// original `/account/me/`).
    var id: String {
        let words = segments.map { segment in
            String(segment.compactMap { $0 == "{" || $0 == "}" ? nil : $0 == "." ? "_" : $0 })
        }
        return ([method] + words + (path.hasSuffix("/") ? ["slash"] : [])).joined(separator: "_")
    }

    /// The path's segments, `{name}` for a parameter.
    var segments: [Substring] { path.split(separator: "/") }
}

extension OpenAPIDocument {
    private static let lotID =
        #"{"name": "lot_id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}}"#

    private static let since =
        #"{"name": "since", "in": "query", "description": "Only the events after this seq", "schema": {"type": "integer", "format": "int64", "minimum": 0, "maximum": 9223372036854775807, "default": 0}}"#
    private static let pageLimit =
        #"{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1000}}"#

    private static func error(_ description: String) -> String {
        ##"{"description": "\##(description)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}"##
    }

    private static func ok(_ description: String, _ schema: String, headers: String? = nil, links: String? = nil) -> String {
        let headers = headers.map { #", "headers": \#($0)"# } ?? ""
        let links = links.map { #", "links": \#($0)"# } ?? ""
        return #"{"description": "\#(description)"\#(headers)\#(links), "content": {"application/json": {"schema": \#(schema)}}}"#
    }

    /// From a new lot to the operations on it (fuzzers follow these).
    private static let lotLinks: String = {
        let targets = ["get_lots_lot_id", "post_lots_lot_id_bids", "patch_lots_lot_id_bids", "get_lots_lot_id_bids",
                       "patch_lots_lot_id_status", "get_lots_lot_id_events"]
        let links = targets.map { #""\#($0)": {"operationId": "\#($0)", "parameters": {"lot_id": "$response.body#/id"}}"# }
        return "{" + links.joined(separator: ", ") + "}"
    }()

    private static func ref(_ name: String) -> String { ##"{"$ref": "#/components/schemas/\##(name)"}"## }
    private static func list(_ name: String) -> String { #"{"type": "array", "items": \#(ref(name))}"# }

    // The errors every route of a kind can answer.
    private static let unauthorized = (401, error("Missing, malformed, expired or revoked token (with WWW-Authenticate: Bearer)"))
    private static let tooLarge = (413, error("Request body over 64 KiB"))
    private static let invalid = (422, error("Validation error naming the field"))
    private static let unavailable = (503, error("Storage or sessions unavailable, or the server is shutting down; retry shortly"))
    private static let unknownLot = (404, error("Unknown lot"))
    private static func tooMany(_ limit: String) -> (Int, String) {
        (429, ##"{"description": "\##(limit) (a rate limit)", "headers": {"Retry-After": {"description": "Seconds until a retry may pass", "schema": {"type": "integer", "minimum": 1}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}"##)
    }

    // API.md "Idempotent requests": the header of the four routes that take it.
    private static let idempotencyKey =
        #"{"name": "Idempotency-Key", "in": "header", "description": "1 to 255 printable ASCII characters: the same key with the same route and body within 24 hours gets the first answer again", "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"}}"#
    private static let replayed =
        #"{"Idempotent-Replayed": {"description": "true when this is the kept answer to an earlier request with the same Idempotency-Key", "schema": {"type": "string", "enum": ["true"]}}}"#
    private static let keyInFlight = (409, error("A request with this Idempotency-Key is still running"))

    static let operations: [OpenAPIOperation] = [
        .init(method: "post", path: "/account", summary: "Register", parameters: [idempotencyKey], body: .fields("Registration"),
              responses: [(201, ok("The account", ref("User"), headers: replayed)),
                          (409, error("Username taken, or a request with this Idempotency-Key is still running")),
                          tooLarge, invalid, tooMany("Too many registrations from this address"), unavailable]),
        .init(method: "post", path: "/account/token", summary: "Log in (OAuth2 password form)", body: .fields("Login"),
              responses: [(201, ok("A bearer token", ref("Token"))), (401, error("Unknown user or wrong password")),
                          tooLarge, invalid, tooMany("Too many failed logins for this username, or requests from this address"),
                          unavailable]),
        .init(method: "delete", path: "/account/token", summary: "Log out: revoke this token", secured: true,
              responses: [(200, ok("Logged out", ref("Message"))), unauthorized, unavailable]),
        .init(method: "post", path: "/account/logout", summary: "Log out: revoke this token", secured: true,
              responses: [(200, ok("Logged out", ref("Message"))), unauthorized, unavailable]),
        .init(method: "get", path: "/account/me", summary: "The current user", secured: true,
              responses: [(200, ok("The user", ref("User"))), unauthorized, unavailable]),
        .init(method: "get", path: "/account/me/", summary: "The current user (the original path)", secured: true,
              responses: [(200, ok("The user", ref("User"))), unauthorized, unavailable]),
        .init(method: "get", path: "/account/me/events", summary: "Your own event log (outbid, auto_bid, won, lost), as on /ws/me",
              secured: true, parameters: [since, pageLimit],
              responses: [(200, ok("Your events after `since`, in seq order", list("UserEvent"))), unauthorized, invalid, unavailable]),
        .init(method: "post", path: "/lots", summary: "Create a lot", secured: true, parameters: [idempotencyKey],
              body: .fields("NewLot", form: "NewLotForm"),
              responses: [(201, ok("The lot", ref("Lot"), headers: replayed, links: lotLinks)), unauthorized, keyInFlight,
                          tooLarge, invalid, unavailable]),
        .init(method: "get", path: "/lots", summary: "List lots, newest first",
              parameters: [
                  #"{"name": "status", "in": "query", "schema": {"type": "string", "enum": ["running", "finished", "all"], "default": "running"}}"#,
                  #"{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}}"#,
                  #"{"name": "after", "in": "query", "description": "The X-Next-After of the previous page", "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}}"#,
              ],
              responses: [(200, ok("The lots", list("Lot"),
                                   headers: #"{"X-Next-After": {"description": "The cursor of the next page, when there may be one", "schema": {"type": "integer"}}}"#)),
                          invalid, unavailable]),
        .init(method: "get", path: "/lots/{lot_id}", summary: "One lot, any status (with reserve_price for its owner's token)",
              parameters: [lotID],
              responses: [(200, ok("The lot", ref("Lot"))), (401, error("A token given that is not valid (none is needed)")), unknownLot,
                          unavailable]),
        .init(method: "post", path: "/lots/{lot_id}/bids", summary: "Place a bid", secured: true,
              parameters: [lotID, idempotencyKey], body: .fields("Amount"),
              responses: [(201, ok("The bid (leading false when a higher maximum answered it)", ref("Bid"), headers: replayed)),
                          keyInFlight,
                          (400, error("Lot finished, amount not above the price by the increment, or you already have a bid")),
                          unauthorized, (403, error("Bidding on your own lot")), unknownLot, tooLarge, invalid,
                          tooMany("Too many bids"), unavailable]),
        .init(method: "patch", path: "/lots/{lot_id}/bids", summary: "Raise your bid", secured: true,
              parameters: [lotID, idempotencyKey], body: .fields("Raise"),
              responses: [(200, ok("The bid", ref("Bid"), headers: replayed)), keyInFlight,
                          (400, error("Lot finished, amount not above the price by the increment, or max_amount below your bid")),
                          unauthorized, (403, error("Bidding on your own lot")), (404, error("Unknown lot, or you have no bid on it yet")),
                          tooLarge, invalid, tooMany("Too many bids"), unavailable]),
        .init(method: "get", path: "/lots/{lot_id}/bids", summary: "The lot's bids, highest first",
              parameters: [
                  lotID,
                  #"{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 100}}"#,
                  #"{"name": "after", "in": "query", "description": "The X-Next-After of the previous page", "schema": {"type": "string", "pattern": "^[0-9]+_[0-9]+$"}}"#,
              ],
              responses: [(200, ok("The bids", list("Bid"),
                                   headers: #"{"X-Next-After": {"description": "The cursor of the next page, when there may be one", "schema": {"type": "string"}}}"#)),
                          unknownLot, invalid, unavailable]),
        .init(method: "patch", path: "/lots/{lot_id}/status",
              summary: "Change a lot's status (owner only); the status may also come in a form or JSON body as lot_status or status",
              secured: true,
              parameters: [lotID, #"{"name": "lot_status", "in": "query", "required": true, "schema": {"type": "string", "enum": ["running", "finished"]}}"#],
              responses: [(200, ok("Status updated", ref("Message"))), unauthorized, (403, error("Not the lot's owner")), unknownLot,
                          (409, error("A finished lot cannot run again")), tooLarge, invalid, unavailable]),
        .init(method: "get", path: "/lots/{lot_id}/events", summary: "The lot's event log, as on its WebSocket",
              parameters: [
                  lotID, since, pageLimit,
              ],
              responses: [(200, ok("Events after `since`, in seq order", list("Event"))), unknownLot, invalid, unavailable]),
        .init(method: "get", path: "/healthz", summary: "The process is up",
              responses: [(200, ok("Up", #"{"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ok"]}}}"#))]),
        .init(method: "get", path: "/readyz", summary: "Storage, broker and sessions answer",
              responses: [(200, ok("Ready", #"{"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["ready"]}}}"#)),
                          (503, error("Not ready: names what does not answer"))]),
        .init(method: "get", path: "/metrics", summary: "Prometheus metrics",
              responses: [(200, #"{"description": "Prometheus text format 0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}"#)]),
        .init(method: "get", path: "/openapi.json", summary: "This document",
              responses: [(200, ok("OpenAPI 3 document", #"{"type": "object"}"#))]),
    ]
}
