import Codecs
import Foundation
import ShopKit

/// The format of a poster file: `.png` (any case) is a PNG, any other name an SVG (as before
/// PNG posters existed).
enum PosterFormat: String {
    case svg, png

    static func of(_ path: String) -> PosterFormat { path.lowercased().hasSuffix(".png") ? .png : .svg }
}

/// Turns a poster's SVG into a PNG with the system's rasteriser, `rsvg-convert` (Debian/Ubuntu
/// package `librsvg2-bin`), found on `PATH` at run time, and its CJK glyphs from fontconfig
/// (`fonts-noto-cjk`). shopctl has no font rasteriser of its own.
///
///     let r = try PosterRenderer.locate(env: ctx.env)   // exit 5 renderer-missing / font-missing
///     let png = try r.png(svg: Poster.svg(content))     // exit 5 render-failed
///
/// `rsvg-convert` reads and writes only inside a private temporary folder (mode 0700) that is
/// removed afterwards; the caller writes the bytes through `OutputFile`.
struct PosterRenderer {
    let executable: String
    let env: [String: String]

    static let packages = "librsvg2-bin fonts-noto-cjk"

    /// Finds `rsvg-convert` and checks that fontconfig knows a Chinese font (when `fc-list` is
    /// there to ask).
    static func locate(env: [String: String]) throws -> PosterRenderer {
        let path = env["PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/local/bin:/usr/bin:/bin"
        func find(_ name: String) -> String? {
            for dir in path.split(separator: ":") where !dir.isEmpty {
                let candidate = dir + "/" + name
                if access(candidate, X_OK) == 0 { return candidate }
            }
            return nil
        }
        guard let exe = find("rsvg-convert") else {
            throw ShopError.store(
                "renderer-missing",
                en:
                    "a PNG poster needs rsvg-convert, which is not on PATH: install \(packages) (apt-get install \(packages)); an SVG poster (--poster FILE.svg) needs nothing",
                zh: "PNG 海报需要 rsvg-convert，但 PATH 中找不到：请安装 \(packages)（apt-get install \(packages)）；SVG 海报（--poster 文件.svg）无需安装")
        }
        if let fcList = find("fc-list") {
            let (status, out) = run(fcList, [":lang=zh", "family"], env: env, timeout: 30)
            if status == 0 && out.allSatisfy({ $0 == 10 || $0 == 32 }) {
                throw ShopError.store(
                    "font-missing",
                    en: "a PNG poster needs a Chinese font and fontconfig knows none (fc-list :lang=zh is empty): install fonts-noto-cjk",
                    zh: "PNG 海报需要中文字体，但系统中没有（fc-list :lang=zh 为空）：请安装 fonts-noto-cjk")
            }
        }
        return PosterRenderer(executable: exe, env: env)
    }

    /// The PNG of `svg`: as wide as the SVG (1080 px for a poster), checked to be a PNG.
    func png(svg: String, width: Int = PosterLayout.width) throws -> [UInt8] {
        var template = Array((NSTemporaryDirectory() + "/shopctl-poster-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw Self.failed("cannot create a temporary folder: \(String(cString: strerror(errno)))")
        }
        let dir = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/poster.svg"
        let output = dir + "/poster.png"
        guard FileManager.default.createFile(atPath: input, contents: Data(svg.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw Self.failed("cannot write \(input)")
        }
        let (status, _) = Self.run(
            executable, ["--format", "png", "--width", String(width), "--output", output, input], env: env, timeout: 120,
            stderr: dir + "/stderr")
        let err = FileManager.default.contents(atPath: dir + "/stderr").map { [UInt8]($0) } ?? []
        let bytes = FileManager.default.contents(atPath: output).map { [UInt8]($0) } ?? []
        guard status == 0, let info = ImageFileInfo.sniff(bytes), info.kind == .png, info.width == width else {
            let why = String(decoding: err.prefix(400), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Self.failed("\(executable) exited \(status)\(why.isEmpty ? "" : ": " + why)")
        }
        return bytes
    }

    static func failed(_ why: String) -> ShopError {
        .store("render-failed", en: "the PNG poster could not be rendered: \(why)", zh: "无法生成 PNG 海报：\(why)")
    }

    /// Runs a program, without a shell, and returns its exit status (-1 when it could not be
    /// started or ran over `timeout` seconds) and standard output; standard error goes to the
    /// file `stderr` (or nowhere).
    static func run(_ exe: String, _ args: [String], env: [String: String], timeout: Double, stderr: String? = nil) -> (
        Int32, [UInt8]
    ) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: exe)
        p.arguments = args
        p.environment = env
        let out = Pipe()
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        if let stderr, FileManager.default.createFile(atPath: stderr, contents: nil), let h = FileHandle(forWritingAtPath: stderr) {
            p.standardError = h
        } else {
            p.standardError = FileHandle.nullDevice
        }
        do { try p.run() } catch { return (-1, []) }
        let pid = p.processIdentifier
        let timer = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: timer)
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        timer.cancel()
        let status = p.terminationReason == .exit ? p.terminationStatus : -1
        return (status, [UInt8](outData))
    }
}
