"""The main job on the embedded default store: memory that outlives a session
and crosses agents. Run with `make demo` (or `python examples/quickstart.py`
after `pip install .`). Everything runs offline; the store is one SQLite file.
"""

import asyncio
import os
import shutil
import subprocess
import tempfile

from stratamem import Memory, SyncMemory


def show(title, results):
    print(f"\n{title}")
    for r in results:
        origin = f" (saved by {r.source_agent})" if r.source_agent else ""
        print(f"  {r.score:.2f}  [{r.scope}] {r.content}{origin}")


async def main(db_path: str) -> None:
    async with Memory(db_path=db_path) as memory:
        # Bob states a preference in the morning session: a user-level fact.
        await memory.save("Bob prefers dark mode and vim keybindings",
                          user_id="bob", session_id="morning-session")
        # Something only relevant to that session.
        await memory.save("Bob is debugging the login page right now", scope="session",
                          user_id="bob", session_id="morning-session")
        # Another user's memory never reaches Bob.
        await memory.save("Alice prefers light mode", user_id="alice")

        # Claude Code learns a project fact for the team ...
        await memory.save("Project uses uv, not pip", user_id="team", agent_id="claude")

    # ... a new process, a new session, a new agent:
    memory = SyncMemory(db_path=db_path)
    show("bob, afternoon-session: 'editor and theme preferences'",
         memory.search("editor and theme preferences", user_id="bob",
                       session_id="afternoon-session", top_k=3))
    show("team, agent codex: 'package manager'",
         memory.search("package manager", user_id="team", agent_id="codex", top_k=1))
    print("\nstats:", memory.stats())
    memory.close()


if __name__ == "__main__":
    workdir = tempfile.mkdtemp(prefix="stratamem-demo-")
    db = os.path.join(workdir, "stratamem.db")
    try:
        asyncio.run(main(db))
        # The same file from the command line.
        print("\n$ stratamem search 'package manager' --user team")
        subprocess.run(["stratamem", "search", "package manager", "--user", "team", "--db", db], check=True)
    finally:
        shutil.rmtree(workdir)
