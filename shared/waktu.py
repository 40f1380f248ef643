"""Business time zone: rules of the regulation run on Western Indonesian Time (WIB, UTC+7)."""

from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
