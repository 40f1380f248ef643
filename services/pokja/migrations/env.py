from services.pokja.models import Base
from shared.migrations import run_env

run_env(Base.metadata)
