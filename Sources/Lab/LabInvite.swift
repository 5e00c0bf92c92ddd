import Support

/// What a student needs to start: how to log in, the host key to trust, their desktop and Jupyter, where things are.
package enum LabInvite {
    package enum Language: String, Sendable {
        case en, zh
    }

    /// Where the member finds their own VNC password and Jupyter token inside the container (owned by them, 0400).
    package static let vncPasswordInContainer = "/etc/dockerkit/vnc-password"
    package static let jupyterTokenInContainer = "/etc/dockerkit/jupyter-token"

    /// The invitation text for `member`, reached at `host`; `hostKeys` are the lines of the member's
    /// `ssh_host_*_key.pub` files (empty before the first `up`).
    package static func text(_ member: MemberPlan, definition: LabDefinition, host: String, hostKeys: [String], language: Language) -> String {
        let zh = language == .zh
        let alias = "\(definition.name)-\(member.name)"
        let sshPort = member.port(of: .ssh) ?? 22
        let hostInURL = host.contains(":") ? "[\(host)]" : host
        let knownHost = sshPort == 22 ? host : "[\(host)]:\(sshPort)"
        var lines: [String] = []
        lines.append(zh ? "\(member.name)，欢迎加入 \(definition.name) 实验室。" : "Welcome to the \(definition.name) lab, \(member.name).")
        lines.append("")
        lines.append(zh ? "登录（使用与管理员登记的公钥配对的私钥）：" : "Log in (with the private key that goes with the public key you gave the admin):")
        lines.append("    ssh -p \(sshPort) \(member.name)@\(host)")
        lines.append("")
        lines.append(zh ? "或写入 ~/.ssh/config，之后用 `ssh \(alias)` 登录：" : "Or put this in ~/.ssh/config and log in with `ssh \(alias)`:")
        lines.append("    Host \(alias)")
        lines.append("        HostName \(host)")
        lines.append("        Port \(sshPort)")
        lines.append("        User \(member.name)")
        lines.append("        IdentityFile ~/.ssh/id_ed25519")
        lines.append("")
        if hostKeys.isEmpty {
            lines.append(zh ? "服务器主机密钥尚未生成：管理员运行 `dockerkit lab up` 后再次生成本邀请。"
                            : "The server's host key is not made yet: ask the admin to run `dockerkit lab up`, then print this invitation again.")
        } else {
            lines.append(zh ? "把下面的行加入 ~/.ssh/known_hosts，首次登录即可核对服务器身份（不要接受其他主机密钥）："
                            : "Add these lines to ~/.ssh/known_hosts so your first login checks the server (never accept another host key):")
            for key in hostKeys {
                let fields = key.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 2 else { continue }
                lines.append("    \(knownHost) \(fields[0]) \(fields[1])")
            }
        }
        if let port = member.port(of: .novnc) {
            lines.append("")
            lines.append(zh ? "图形桌面（浏览器打开）：" : "Desktop (in a browser):")
            lines.append("    http://\(hostInURL):\(port)/vnc.html")
            lines.append(zh ? "    VNC 密码：登录后运行 `cat \(vncPasswordInContainer)`（只有你能读）"
                            : "    VNC password: after logging in, `cat \(vncPasswordInContainer)` (only you can read it)")
        }
        if let port = member.port(of: .jupyter) {
            lines.append("")
            lines.append("Jupyter:")
            lines.append("    http://\(hostInURL):\(port)/lab")
            lines.append(zh ? "    令牌：登录后运行 `cat \(jupyterTokenInContainer)`" : "    Token: after logging in, `cat \(jupyterTokenInContainer)`")
        }
        if !member.gpus.isEmpty {
            lines.append("")
            lines.append(zh ? "GPU：\(member.gpus.joined(separator: ", "))（容器内用 nvidia-smi 查看）" : "GPUs: \(member.gpus.joined(separator: ", ")) (nvidia-smi shows them inside)")
        }
        lines.append("")
        lines.append(zh ? "你的主目录：/home/\(member.name)（保存在服务器上，容器重建后仍在）"
                        : "Your home: /home/\(member.name) (kept on the server; it survives your container being re-created)")
        if !definition.datasets.isEmpty {
            lines.append(zh ? "共享数据集：" : "Shared datasets:")
            for dataset in definition.datasets {
                lines.append("    \(dataset.path)" + (dataset.readOnly ? (zh ? "（只读）" : " (read-only)") : (zh ? "（可写，所有成员共享）" : " (writable, shared by every member)")))
            }
        }
        return lines.map { $0.escapingControlCharacters(keepingTabs: true) }.joined(separator: "\n") + "\n"
    }
}
