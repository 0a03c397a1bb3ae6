"""The plant file: TOML in, validated ``hmi.domain.plant`` definitions out.

A plant file is written by hand. Loading it either returns a ``PlantDef`` that
the rest of the program can trust, or raises ``ConfigError`` with every
problem found, each with its file, line and key path. See docs/plant-file.md.
"""

from hmi.config.loader import check_config, load_plant, load_plant_text
from hmi.config.problems import ConfigError, ConfigProblem

__all__ = ["ConfigError", "ConfigProblem", "check_config", "load_plant", "load_plant_text"]
