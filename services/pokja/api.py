"""HTTP routes of pokja (filled in by the pokja issue)."""

from fastapi import APIRouter

router = APIRouter(prefix="/api/v1", tags=["pokja"])
