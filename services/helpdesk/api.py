"""HTTP routes of helpdesk (filled in by the helpdesk issue)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["tiket"])
