-- Headless Neovim as a real LSP client of `dockerkit lsp`: attach, read diagnostics, a code action and formatting back.
local dk, out_path = _G.DK, _G.OUT
local out = {}
local bufnr = vim.api.nvim_get_current_buf()
local client_id = vim.lsp.start_client({ name = "dockerkit", cmd = { dk, "lsp" }, root_dir = vim.fn.getcwd() })
vim.lsp.buf_attach_client(bufnr, client_id)
vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(out, "diagnostic " .. tostring(d.code) .. " " .. d.lnum) end
local client = vim.lsp.get_client_by_id(client_id)
local uri = vim.uri_from_bufnr(bufnr)
local actions = client.request_sync("textDocument/codeAction", { textDocument = { uri = uri },
  range = { start = { line = 1, character = 0 }, ["end"] = { line = 1, character = 5 } }, context = { diagnostics = {} } }, 5000, bufnr)
for _, a in ipairs(actions and actions.result or {}) do table.insert(out, "action " .. a.title) end
local formatting = client.request_sync("textDocument/formatting", { textDocument = { uri = uri }, options = { tabSize = 4, insertSpaces = true } }, 5000, bufnr)
if formatting and formatting.result then vim.lsp.util.apply_text_edits(formatting.result, bufnr, "utf-16") end
table.insert(out, "formatted " .. table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "|"))
vim.fn.writefile(out, out_path)
vim.cmd("qa!")
