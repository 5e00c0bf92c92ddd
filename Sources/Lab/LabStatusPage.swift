import Support

/// `lab status --format html`: one self-contained page (inline style, bars drawn as SVG, no script and nothing
/// loaded from elsewhere) with the members, their ports, GPUs, idle times and disk use, and the host checks. It
/// shows names, numbers and states only: no secret, key, token or password is ever read into it.
package enum LabStatusPage {
    package static func render(_ plan: LabPlan, statuses: [MemberStatus], usage: LabUsageReport?, checks: [DoctorCheck], generated: String) -> String {
        let definition = plan.definition
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
            <title>\(escape(definition.name)) lab status</title>
            <style>
            body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}table{border-collapse:collapse;margin:1em 0}
            th,td{border-bottom:1px solid #ddd;padding:.35em .7em;text-align:left;vertical-align:middle}th{background:#f4f4f4}
            .running,.ok{color:#176317}.exited,.missing,.restarting,.fail{color:#a11}.departed,.skip{color:#777}.warn{color:#8a5a00}
            .note{color:#555;font-size:.9em}
            </style></head><body>
            <h1>Lab <span id="lab-name">\(escape(definition.name))</span></h1>
            <p class="note">Generated \(escape(generated)) by dockerkit lab status. Network: \(escape(definition.network.rawValue)), ports on \(escape(definition.bindAddress)).</p>
            <table id="members"><thead><tr><th>Member</th><th>State</th><th>SSH</th><th>Desktop</th><th>GPUs held</th><th>GPU use</th>
            <th>GPU idle</th><th>Memory</th><th>Home</th><th>Notes</th></tr></thead><tbody>

            """
        for status in statuses {
            let member = status.plan
            let use = usage?.members.first { $0.name == status.name }
            var notes: [String] = []
            if let reason = status.reason { notes.append(reason) }
            if let day = member?.reclaimed { notes.append("GPUs reclaimed on \(day)") }
            if member?.isExpired == true { notes.append("past until \(member?.member.until ?? "")") }
            notes += use?.warnings ?? []
            let gpuUse = (use?.gpus ?? []).filter { $0.utilization != nil || $0.memoryTotal != nil }.map { gpu -> String in
                let share = gpu.memoryTotal.map { total in total > 0 ? Double(gpu.memoryUsed) / Double(total) : 0 } ?? 0
                return "GPU \(escape(gpu.gpu)) " + bar(share, label: "\(gpu.memoryUsed) MiB, \(gpu.utilization.map { "\($0)%" } ?? "?")")
            }.joined(separator: "<br>")
            let memory = use?.memoryBytes.map { bytes -> String in
                guard let limit = use?.memoryLimit, limit > 0 else { return escape(describeByteSize(bytes)) }
                return bar(Double(bytes) / Double(limit), label: "\(describeByteSize(bytes)) of \(describeByteSize(limit))")
            } ?? "-"
            let home = use?.homeBytes.map { bytes -> String in
                guard let limit = use?.diskLimit, limit > 0 else { return escape(describeByteSize(bytes)) }
                return bar(Double(bytes) / Double(limit), label: "\(describeByteSize(bytes)) of \(describeByteSize(limit))")
            } ?? "-"
            html += "<tr class=\"member\" data-member=\"\(escape(status.name))\"><td>\(escape(status.name))</td>"
            html += "<td class=\"\(status.state.rawValue)\">\(status.state.rawValue)</td>"
            html += "<td>\(member?.port(of: .ssh).map(String.init) ?? "-")</td><td>\(member?.port(of: .novnc).map(String.init) ?? "-")</td>"
            html += "<td>\(escape(member.map { $0.gpus.isEmpty ? "-" : $0.gpus.joined(separator: ", ") } ?? "-"))</td>"
            html += "<td>\(gpuUse.isEmpty ? "-" : gpuUse)</td><td>\(use?.gpuIdleSeconds.map(describeDuration) ?? "-")</td>"
            html += "<td>\(memory)</td><td>\(home)</td><td>\(escape(notes.joined(separator: "; ")))</td></tr>\n"
        }
        html += "</tbody></table>\n"
        if let usage {
            html += "<p>GPUs nobody holds: \(usage.freeGPUs.isEmpty ? "none" : escape(usage.freeGPUs.joined(separator: ", ")))"
            if let problem = usage.gpuProblem { html += " <span class=\"note\">(\(escape(problem)))</span>" }
            html += "</p>\n"
        }
        html += "<h2>Host checks</h2>\n<table id=\"checks\"><thead><tr><th>Check</th><th>Status</th><th>Seen</th><th>Fix</th></tr></thead><tbody>\n"
        for check in checks {
            html += "<tr><td>\(escape(check.name))</td><td class=\"\(check.status.rawValue)\">\(check.status.rawValue)</td>"
            html += "<td>\(escape(check.detail))</td><td>\(escape(check.fix))</td></tr>\n"
        }
        html += "</tbody></table>\n</body></html>\n"
        return html
    }

    /// A bar of `share` (0…1, clipped) drawn as inline SVG, with its label beside it.
    static func bar(_ share: Double, label: String) -> String {
        let clipped = share.isFinite ? min(max(share, 0), 1) : 0
        let width = Int((clipped * 100).rounded())
        let colour = share > 1 ? "#c33" : share > 0.8 ? "#d90" : "#3a3"
        return "<svg width=\"102\" height=\"12\" role=\"img\" aria-label=\"\(escape(label))\"><rect x=\"0\" y=\"0\" width=\"102\" height=\"12\" fill=\"#eee\"/>"
            + "<rect x=\"1\" y=\"1\" width=\"\(width)\" height=\"10\" fill=\"\(colour)\"/></svg> \(escape(label))"
    }

    /// Text made safe for HTML (and for a terminal: control characters escaped first).
    static func escape(_ text: String) -> String {
        Quoting.xml(text, controls: .escape)
    }
}
