/// A plain-text table with aligned columns (numbers to the right).
struct TextTable {
    let header: [String]
    private(set) var rows: [[String]] = []

    init(header: [String]) {
        self.header = header
    }

    mutating func add(_ row: [String]) {
        rows.append(row + Array(repeating: "", count: max(0, header.count - row.count)))
    }

    mutating func separator() {
        rows.append([])
    }

    func render() -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                // The first two columns are names; the others are figures.
                return index < 2 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        var out = [line(header), rule]
        for row in rows { out.append(row.isEmpty ? rule : line(row)) }
        return out.joined(separator: "\n")
    }
}
