"""Domain, services and ports of Internal Hire. Imports nothing from bot/, handlers/, cards/ or scheduler/."""
