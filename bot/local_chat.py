"""`internal-hire chat`: a terminal conversation over the same handlers; buttons become numbered choices.

A number always presses a button the person saw. Numbers keep counting up while they press buttons (a card that a
press replaced keeps its numbers; the new card gets new ones), so typing the same number twice can never press
whatever button took the old one's place ("Approve" then "Close the opening"); the old button's press is refused by
its handler as out of date. A typed request starts again at 1."""
from __future__ import annotations

import sys
import time
from pathlib import Path

from core.documents import MAX_RESUME_BYTES, DocumentError, read_regular_file
from cards.text import render_text
from handlers.requests import Request, Upload

BANNER = """Internal Hire — local chat (offline, {count} employees in {data_dir})
You are {name} ({role}, {dept}). Type a request, a number to press a button, `/as <id|email|name>` to switch user,
`/upload <file>` to send a resume, `help` for examples, `quit` to leave.
Try: find-candidates senior backend engineer who knows Kafka   |   카프카 다룰 줄 아는 백엔드 개발자 찾아줘"""


def choose(options, answer: str) -> str:
    """A choice typed as its number, its value or (part of) its label; anything else is passed on as typed, and the
    handler says it is not a valid choice."""
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return options[int(answer) - 1][0]
    low = answer.lower()
    for value, label in options:
        if low in (value.lower(), label.lower()):
            return value
    partial = [value for value, label in options if low in label.lower()]
    return partial[0] if len(partial) == 1 else answer


class LocalChat:
    def __init__(self, app, actor, out=None, inp=None):
        self.app = app
        self.actor = actor
        self.out = out or sys.stdout
        self.inp = inp or sys.stdin
        self.buttons: dict[int, tuple] = {}      # number -> (button, the inputs of the card it is on)
        self.next_number = 1

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
        pressed = text.isdigit()
        if pressed:
            number = int(text)
            if number not in self.buttons:
                shown = sorted(self.buttons)
                self.say(f"There is no choice {number}." + (f" Choose {shown[0]}-{shown[-1]}." if shown else ""))
                return True
            button, inputs = self.buttons[number]
            # The card's fields are asked for when its main (primary or danger) button is pressed, e.g. Save.
            form = self.ask_inputs(inputs) if button.style in ("primary", "danger") and inputs else {}
            request = Request(actor=self.actor, platform="local", action_id=button.action_id,
                              action_value=button.value, form=form)
        elif text.lower().startswith("/upload"):
            given = text[len("/upload"):].strip().strip("'\"")
            if not given:
                self.say("Usage: /upload <path of a resume file> (.pdf, .docx, .txt or .md) · 사용법: /upload <이력서 파일 경로>")
                return True
            path = Path(given).expanduser()
            try:
                # a regular file of at most 10 MB, checked before reading: never /dev/zero, a pipe or a folder
                upload = Upload(path.name, read_regular_file(path, MAX_RESUME_BYTES))
            except DocumentError as exc:
                self.say(f"Cannot read {given!r}: {exc}.")
                return True
            request = Request(actor=self.actor, platform="local", upload=upload)
        else:
            request = Request(actor=self.actor, platform="local", text=text)
        reply = self.app.router.handle(request)
        cards = reply.cards
        if reply.updates is not None:
            self._ensure_worker()           # custom JDs are generated in the background, here as on the server
            self.say(render_text(cards)[0])
            for later in reply.updates:     # streamed or progressive answers: the last version is the answer
                if later is None:
                    time.sleep(0.2)       # a background job is still running
                    continue
                cards = later
                self.out.write(".")
                self.out.flush()
            self.say("")
        for employee_id, _ in reply.notify:   # in Slack or Teams these go out as direct messages
            who = self.app.store.get_employee(employee_id)
            self.say(f"(sent to {who.display_name if who else employee_id} by direct message)")
        if not pressed and any(card.buttons for card in cards):
            self.buttons, self.next_number = {}, 1      # a typed request's cards are numbered from 1 again
        rendered, buttons = render_text(cards, first_number=self.next_number)
        inputs_of = [card.inputs for card in cards for _ in card.buttons]
        for offset, button in enumerate(buttons):
            self.buttons[self.next_number + offset] = (button, inputs_of[offset])
        self.next_number += len(buttons)
        self.say(rendered)
        return True

    def _ensure_worker(self) -> None:
        service = getattr(self.app, "jd_service", None)
        if service is not None and getattr(self, "_worker", None) is None:
            self._worker = service.worker()
            self._worker.start(poll_interval=0.2)

    def close(self) -> None:
        if getattr(self, "_worker", None) is not None:
            self._worker.stop()
            self._worker = None

    def ask_inputs(self, inputs) -> dict:
        """Each field of the card, showing its current value; Enter keeps it. Lines of a multi-line field are
        separated with ';'."""
        form = {}
        for field in inputs:
            current = field.value.replace("\n", "; ") if field.multiline else field.value
            if field.options:
                self.say("  " + "  ".join(f"{n}) {label}" for n, (_, label) in enumerate(field.options, start=1)))
                current = dict(field.options).get(field.value, field.value)
            self.out.write(f"{field.label} [{current}]: ")
            self.out.flush()
            answer = self.inp.readline().strip()
            if not answer:
                form[field.id] = field.value
            elif field.options:
                form[field.id] = choose(field.options, answer)
            else:
                form[field.id] = "\n".join(p.strip() for p in answer.split(";")) if field.multiline else answer
        return form

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
        self.close()
        self.say("Bye.")
