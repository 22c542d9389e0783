/// Typed reading of one import row's fields, with `bad-value` problems that name the column.
///
///     var f = RowFields(row)
///     let price = try f.money("price")          // bad-value: "column price: '12.345' at most 2 decimals"
///     let stock = try f.int("stock", min: 0)
public struct RowFields {
    public let row: ImportRow
    public init(_ row: ImportRow) { self.row = row }

    /// A required, non-empty text field (surrounding spaces trimmed).
    public func text(_ column: String, maxLength: Int = 200) throws(RowProblem) -> String {
        guard let v = optionalText(column), !v.isEmpty else {
            throw RowProblem("bad-value", en: "column \(column) is empty", zh: "列 \(column) 为空")
        }
        // A character is at least one byte: counting characters is needed only for long texts.
        guard v.utf8.count <= maxLength || v.count <= maxLength else {
            throw RowProblem.badValue(column, v, en: "is longer than \(maxLength) characters", zh: "超过 \(maxLength) 个字符")
        }
        if Self.hasControlCharacter(v) {
            throw RowProblem.badValue(column, v, en: "contains a control character", zh: "包含控制字符")
        }
        return v
    }

    /// An identifier by `Identifier`'s rule (ASCII ids are checked byte by byte).
    static func isIDText(_ v: String) -> Bool { Identifier.isValid(v) }

    /// C0 controls other than tab and line feed, DEL, and the C1 controls U+0080–U+009F
    /// (in UTF-8: 0xC2 followed by 0x80–0x9F), in one pass over the bytes.
    static func hasControlCharacter(_ v: String) -> Bool {
        v.withUTF8Bytes { u in
            var afterC2 = false
            for b in u {
                if b < 0x20 && b != 0x0A && b != 0x09 || b == 0x7F || afterC2 && b >= 0x80 && b <= 0x9F { return true }
                afterC2 = b == 0xC2
            }
            return false
        }
    }

    /// A word field (a status): a word of ASCII letters lower-cased (shopctl's own words, any case);
    /// any other text looked up as written in the row's status words (a map's, then the built-in
    /// ones), then in `builtin`, else lower-cased as it is; "" when empty.
    public func word(_ column: String, builtin: [String: String]) -> String {
        guard let v = optionalText(column) else { return "" }
        // shopctl's own words (ASCII letters) are never looked up: the plain path stays as fast.
        if v.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) { return v.asciiLowercased }
        return row.rules?.statusWords[v] ?? builtin[v] ?? v.asciiLowercased
    }

    /// An optional text field: nil when absent, null or empty.
    public func optionalText(_ column: String) -> String? {
        guard let raw = row.value(column) else { return nil }
        let v = raw.trimmingSpaces()
        return v.isEmpty ? nil : v
    }

    /// An identifier (`Identifier`): 1–64 printable characters, no white space, no control,
    /// invisible or format character. Spaces and tabs around the field are trimmed first.
    public func id(_ column: String) throws(RowProblem) -> String {
        guard var v = optionalText(column) else {
            throw RowProblem("bad-value", en: "column \(column) is empty", zh: "列 \(column) 为空")
        }
        // Excel's text marker: a leading ' (a leading tab is trimmed with the spaces).
        if v.utf8.first == 0x27 {
            v = String(v.dropFirst()).trimmingSpaces()
            if v.isEmpty { throw RowProblem("bad-value", en: "column \(column) is empty", zh: "列 \(column) 为空") }
        }
        if ExcelValues.isScientific(v) {
            throw RowProblem.badValue(
                column, v,
                en: "Excel turned this id into a number in scientific notation; format the column as text before exporting",
                zh: "Excel 把这个编号变成了科学计数法的数字；请在导出前把该列设为文本格式")
        }
        if let problem = Identifier.problem(v) {
            let why = Identifier.reason(problem)
            throw RowProblem.badValue(column, v, en: why.en, zh: why.zh)
        }
        return v
    }

    public func money(_ column: String, allowZero: Bool = true) throws(RowProblem) -> Money {
        guard let v = optionalText(column) else {
            throw RowProblem("bad-value", en: "column \(column) is empty", zh: "列 \(column) 为空")
        }
        return try parseMoney(column, v, allowZero: allowZero)
    }

    public func optionalMoney(_ column: String) throws(RowProblem) -> Money? {
        guard let v = optionalText(column) else { return nil }
        return try parseMoney(column, v, allowZero: true)
    }

    private func parseMoney(_ column: String, _ v: String, allowZero: Bool) throws(RowProblem) -> Money {
        let m: Money
        do { m = try Money.parse(v) } catch {
            if let plain = ExcelValues.plainAmount(v), let again = try? Money.parse(plain) {
                if !allowZero && again == .zero {
                    throw RowProblem.badValue(column, v, en: "must be more than 0", zh: "必须大于 0")
                }
                return again
            }
            throw RowProblem.badValue(column, v, en: reason(error, v, "is not an amount in yuan"), zh: reasonZh(error, v, "不是以元计的金额"))
        }
        if !allowZero && m == .zero {
            throw RowProblem.badValue(column, v, en: "must be more than 0", zh: "必须大于 0")
        }
        return m
    }

    public func rate(_ column: String) throws(RowProblem) -> Rate {
        guard let v = optionalText(column) else {
            throw RowProblem("bad-value", en: "column \(column) is empty", zh: "列 \(column) 为空")
        }
        return try parseRate(column, v)
    }

    public func optionalRate(_ column: String) throws(RowProblem) -> Rate? {
        guard let v = optionalText(column) else { return nil }
        return try parseRate(column, v)
    }

    private func parseRate(_ column: String, _ v: String) throws(RowProblem) -> Rate {
        do { return try Rate.parse(v) } catch {
            throw RowProblem.badValue(column, v, en: reason(error, v, "is not a percentage"), zh: reasonZh(error, v, "不是百分比"))
        }
    }

    public func int(_ column: String, min: Int64 = 0, max: Int64 = 1_000_000_000) throws(RowProblem) -> Int64 {
        guard let v = optionalText(column) else {
            throw RowProblem("bad-value", en: "column \(column) is empty", zh: "列 \(column) 为空")
        }
        guard v.withUTF8Bytes({ $0.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D } }), let n = Int64(v), n >= min, n <= max
        else {
            throw RowProblem.badValue(column, v, en: "is not a whole number from \(min) to \(max)", zh: "不是 \(min) 到 \(max) 之间的整数")
        }
        return n
    }

    public func bool(_ column: String) throws(RowProblem) -> Bool {
        let v = optionalText(column)?.asciiLowercased ?? ""
        switch v {
        case "true": return true
        case "false": return false
        default: throw RowProblem.badValue(column, v, en: "must be true or false", zh: "必须是 true 或 false")
        }
    }

    public func optionalBool(_ column: String) throws(RowProblem) -> Bool? {
        guard optionalText(column) != nil else { return nil }
        return try bool(column)
    }

    public func optionalInstant(_ column: String) throws(RowProblem) -> Instant? {
        guard let v = optionalText(column) else { return nil }
        return try parseInstant(column, v)
    }

    public func instant(_ column: String) throws(RowProblem) -> Instant {
        guard let v = optionalText(column) else {
            throw RowProblem("bad-value", en: "column \(column) is empty", zh: "列 \(column) 为空")
        }
        return try parseInstant(column, v)
    }

    private func parseInstant(_ column: String, _ v: String) throws(RowProblem) -> Instant {
        // A text that names no zone is never RFC 3339 (a zone is required): read it in the store's
        // zone first, without building the RFC 3339 parser's error (a workbook's dates, two an
        // order). Any failure takes the path below, which words it.
        if !Self.namesAZone(v), let zone = row.rules?.zone,
            let t = try? Instant.parseLocal(v, zone: zone, format: row.rules?.timeFormat)
        {
            return t
        }
        do { return try Instant.parseRFC3339(v) } catch {
            if let zone = row.rules?.zone {
                do {
                    if let t = try Instant.parseLocal(v, zone: zone, format: row.rules?.timeFormat) { return t }
                } catch let e {
                    throw RowProblem.badValue(
                        column, v, en: reason(e, v, "is not a time"), zh: reasonZh(e, v, "不是时间"))
                }
                // Fits no layout: the RFC 3339 parser's reason when it says more than "expected RFC
                // 3339" (a missing zone, a leap second), then every form an import accepts (SPEC §7).
                let accepted = Self.acceptedTimes(zone: zone, format: row.rules?.timeFormat)
                let en = reason(error, v, "")
                let zh = reasonZh(error, v, "")
                let generic = en.isEmpty || en.hasPrefix("expected RFC 3339")
                throw RowProblem.badValue(
                    column, v, en: (generic ? "is not a time" : en) + "; accepted: " + accepted.en,
                    zh: (generic || zh.isEmpty ? "不是可识别的时间" : zh) + "；可接受：" + accepted.zh)
            }
            throw RowProblem.badValue(
                column, v, en: reason(error, v, "is not an RFC 3339 time with a zone"), zh: reasonZh(error, v, "不是带时区的 RFC 3339 时间"))
        }
    }

    /// Whether `v` ends in a zone designator as RFC 3339 writes one: `Z`/`z`, or a `+`/`-` after
    /// the date and time (offset 19 on).
    static func namesAZone(_ v: String) -> Bool {
        let u = v.utf8
        if let last = u.last, last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") { return true }
        return u.dropFirst(19).contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
    }

    /// The forms of time an import reads, in words: RFC 3339 with a zone, or a time without one
    /// in the store's zone, in the built-in layouts (and the map's `time_format`, first).
    public static func acceptedTimes(zone: Zone, format: TimeFormat?) -> Message {
        let layouts = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/M/d H:mm:ss", "yyyy/M/d H:mm"]
        let mapEN = format.map { ", or the map's time_format \($0.pattern) (tried first)" } ?? ""
        let mapZH = format.map { "，或映射文件的 time_format \($0.pattern)（优先）" } ?? ""
        return Message(
            en: "RFC 3339 with a zone (2026-11-21T09:30:00+08:00), or a time without one in the store's zone "
                + "\(zone.identifier) laid out as " + layouts.joined(separator: ", ") + mapEN,
            zh: "带时区的 RFC 3339（2026-11-21T09:30:00+08:00），或按数据库时区 \(zone.identifier) 读取的不带时区的时间，格式为 "
                + layouts.joined(separator: "、") + mapZH)
    }

    /// The parser's reason, without its "invalid time '…': " lead. The reason starts after the
    /// quoted value, which may itself hold colons (every time does).
    private func reason(_ e: Error, _ value: String, _ fallback: String) -> String {
        guard let s = e as? ShopError else { return fallback }
        return RowFields.reason(in: s.message.en, after: value, separator: ":") ?? fallback
    }

    private func reasonZh(_ e: Error, _ value: String, _ fallback: String) -> String {
        guard let s = e as? ShopError else { return fallback }
        return RowFields.reason(in: s.message.zh, after: value, separator: "：") ?? fallback
    }

    public static func reason(in message: String, after value: String, separator: String) -> String? {
        guard let quoted = message.firstRange(of: "'\(value)'"),
            let colon = message[quoted.upperBound...].firstRange(of: separator)
        else { return nil }
        return String(message[colon.upperBound...]).trimmingSpaces()
    }
}

/// Reading supplier and product rows (SPEC §4 catalog feeds).
public enum CatalogFeed {
    public static let supplierColumns = [
        "supplier_id", "name", "registered_capital", "general_taxpayer", "deposit", "auth_chain_levels",
    ]
    public static let productColumns = [
        "product_id", "supplier_id", "title", "brand", "category", "price", "commission_rate", "stock", "status",
    ]
    public static let productOptionalColumns = [
        "market_commission_rate", "other_platform_price", "tags", "sale_start", "sale_end", "description", "image",
    ]

    /// The row's id for reports, if it can be read.
    public static func rowID(_ row: ImportRow, _ column: String) -> String? {
        rowID(text: row.value(column))
    }

    /// The same from the id column's text as read.
    public static func rowID(text raw: String?) -> String? {
        guard let raw else { return nil }
        let v = raw.trimmingSpaces()
        guard !v.isEmpty else { return nil }
        // Without Excel's text marker, as `RowFields.id` reads it.
        let id = v.utf8.first == 0x27 && v.utf8.count > 1 ? String(v.dropFirst()).trimmingSpaces() : v
        return id.utf8.count <= 64 || id.count <= 64 ? id : String(id.prefix(64))
    }

    public static func supplier(_ row: ImportRow) throws(RowProblem) -> Supplier {
        let f = RowFields(row)
        return Supplier(
            supplierID: try f.id("supplier_id"), name: try f.text("name"),
            registeredCapital: try f.money("registered_capital"), generalTaxpayer: try f.bool("general_taxpayer"),
            deposit: try f.money("deposit"), authChainLevels: Int(try f.int("auth_chain_levels", min: 0, max: 100)))
    }

    public static func product(_ row: ImportRow) throws(RowProblem) -> Product {
        let f = RowFields(row)
        let statusText = f.word("status", builtin: ImportMap.builtinProductStatusIndex)
        guard let status = Product.Status(rawValue: statusText) else {
            throw RowProblem.badValue("status", statusText, en: "must be on or off", zh: "必须是 on 或 off")
        }
        var tags: [ProductTag] = []
        if let t = f.optionalText("tags") {
            for part in t.utf8.split(separator: UInt8(ascii: ";")) {
                let name = String(decoding: part, as: UTF8.self).trimmingSpaces()
                if name.isEmpty { continue }
                guard let tag = ProductTag(rawValue: name) else {
                    throw RowProblem.badValue(
                        "tags", name, en: "is not one of \(ProductTag.allCases.map(\.rawValue).joined(separator: ", "))",
                        zh: "不是 \(ProductTag.allCases.map(\.rawValue).joined(separator: "、")) 之一")
                }
                if !tags.contains(tag) { tags.append(tag) }
            }
        }
        let p = Product(
            productID: try f.id("product_id"), supplierID: try f.id("supplier_id"), title: try f.text("title"),
            brand: try f.text("brand", maxLength: 64), category: try f.text("category", maxLength: 32),
            price: try f.money("price", allowZero: false), commissionRate: try f.rate("commission_rate"),
            stock: try f.int("stock", min: 0, max: 1_000_000_000), status: status,
            marketCommissionRate: try f.optionalRate("market_commission_rate"),
            otherPlatformPrice: try f.optionalMoney("other_platform_price"), tags: tags,
            saleStart: try f.optionalInstant("sale_start"), saleEnd: try f.optionalInstant("sale_end"),
            description: f.optionalText("description") ?? "", image: f.optionalText("image"))
        if p.description.utf8.count > 2000 && p.description.count > 2000 {
            throw RowProblem.badValue("description", p.description, en: "is longer than 2000 characters", zh: "超过 2000 个字符")
        }
        if let s = p.saleStart, let e = p.saleEnd, e <= s {
            throw RowProblem.badValue("sale_end", f.optionalText("sale_end") ?? "", en: "must be after sale_start", zh: "必须晚于 sale_start")
        }
        return p
    }
}
