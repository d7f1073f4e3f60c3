// The starter insights file offered by the welcome view: commented, valid, and passing the checker.
export const STARTER_FILE = `# Customer insights: the customer problems this code solves, and how we know.
# Format guide: run "Customer Lens: Open the Insights Format Guide" from the command palette.
version: 1

product:
  name: My product
  value: One sentence on the value we bring to our customers.

# How ticket keys in code comments and branch names are recognised and linked.
# trackers:
#   - prefix: ACME                       # matches ACME-123
#     url: https://tracker.example/browse/{key}

personas:
  - id: first-persona
    name: The people we build for
    description: Who they are, and what their day looks like.
    jobs: [The job they hire our product to do]

# customers:
#   - id: globex
#     name: Globex Corp
#     arr: 120000                        # annual recurring revenue
#     health: healthy                    # healthy | at-risk | churned

problems:
  - id: P-1
    title: Describe the problem in the customer's words
    status: hypothesis                   # until a real customer confirms it
    severity: medium                     # critical | high | medium | low
    personas: [first-persona]
    # evidence:
    #   - kind: interview                # interview, field-study, survey, support, sales-call, usage-data, ...
    #     quote: "What the customer said, word for word."
    #     date: 2026-01-31
    # code:
    #   - src/feature/**                 # the code that solves it: a path or glob,
    #   - path: src/feature/main.ts      # a symbol,
    #     symbol: Feature.run
    #   - path: src/feature/main.ts      # or lines (with their first line's text, so the link follows moved code)
    #     lines: 10-24
    #     text: "export function run() {"
`;
