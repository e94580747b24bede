-- Opened by tests/nvim/run.sh in a headless Neovim on one story: starts
-- `copydesk lsp` with Neovim's own LSP client, waits for the diagnostics of
-- the story and writes them as JSON (0-based lines, byte columns, as Neovim
-- keeps them) to the file named by NVIM_DIAGNOSTICS_OUT, then quits.
local exe = assert(os.getenv("COPYDESK"), "COPYDESK names the binary")
local out = assert(os.getenv("NVIM_DIAGNOSTICS_OUT"), "NVIM_DIAGNOSTICS_OUT names the output")
local buf = vim.api.nvim_get_current_buf()

local id = vim.lsp.start_client({
  name = "copydesk",
  cmd = { exe, "lsp" },
  root_dir = vim.fn.getcwd(),
})
assert(id, "copydesk lsp did not start")
vim.lsp.buf_attach_client(buf, id)

local done = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)

local rows = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(rows, {
    code = d.code or lsp.code,
    lnum = d.lnum,
    col = d.col,
    end_lnum = d.end_lnum,
    end_col = d.end_col,
    message = d.message,
  })
end
local f = assert(io.open(out, "w"))
f:write(vim.fn.json_encode({ received = done, diagnostics = rows }))
f:close()
vim.lsp.stop_client(id)
vim.cmd("qall!")
