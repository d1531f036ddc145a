"""`internal-hire chat`: a terminal conversation over the same handlers; buttons become numbered choices."""
from __future__ import annotations

import sys

from cards.text import render_text
from handlers.requests import Request

BANNER = """Internal Hire — local chat (offline, {count} employees in {data_dir})
You are {name} ({role}, {dept}). Type a request, a number to press a button, `/as <id|email|name>` to switch user,
`help` for examples, `quit` to leave.
Try: find-candidates senior backend engineer who knows Kafka   |   카프카 다룰 줄 아는 백엔드 개발자 찾아줘"""


class LocalChat:
    def __init__(self, app, actor, out=None, inp=None):
        self.app = app
        self.actor = actor
        self.out = out or sys.stdout
        self.inp = inp or sys.stdin
        self.buttons = []

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def banner(self) -> None:
        a = self.actor
        self.say(BANNER.format(count=self.app.store.count_employees(), data_dir=self.app.settings.data_dir,
                               name=a.display_name, role=a.role.value, dept=a.department or "—"))

    def handle_line(self, line: str) -> bool:
        """Handle one input line; False when the user wants to leave."""
        text = line.strip()
        if text.lower() in ("quit", "exit", "q", "종료"):
            return False
        if not text:
            return True
        if text.lower().startswith("/as"):
            key = text[3:].strip()
            who = self.app.store.find_employee(key)
            if who is None:
                self.say(f"No employee matches '{key}'. Use an id (E0002), an e-mail or a display name.")
            else:
                self.actor = who
                self.say(f"You are now {who.display_name} ({who.role.value}, {who.department}).")
            return True
        if text.isdigit():
            number = int(text)
            if not 1 <= number <= len(self.buttons):
                self.say(f"There is no choice {number}." + (f" Choose 1-{len(self.buttons)}." if self.buttons else ""))
                return True
            button = self.buttons[number - 1]
            request = Request(actor=self.actor, platform="local", action_id=button.action_id,
                              action_value=button.value)
        else:
            request = Request(actor=self.actor, platform="local", text=text)
        reply = self.app.router.handle(request)
        rendered, buttons = render_text(reply.cards)
        # Buttons of a card that was replaced are gone; notices keep the previous choices usable.
        if buttons or reply.replace_original or not self.buttons:
            self.buttons = buttons
        self.say(rendered)
        return True

    def run(self) -> None:
        self.banner()
        while True:
            try:
                self.out.write("\n> ")
                self.out.flush()
                line = self.inp.readline()
            except KeyboardInterrupt:
                break
            if not line:
                break
            if not self.handle_line(line):
                break
        self.say("Bye.")
