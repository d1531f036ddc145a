"""The demo organisation: fictional employees with resumes, and the ground truth the evaluation set is graded on."""
from bot.demo.generator import DemoOrg, generate_demo_org

__all__ = ["DemoOrg", "generate_demo_org"]
