"""langdetect's most probable language of a text, found with fewer of its random walks: the same answer, sooner.

langdetect (a port of Cybozu's Java library) averages seven random walks over the text's n-grams,
each ending with probabilities that sum to one, and answers with the language of the highest
average. Profiling ``l10n check`` put four fifths of its time in those walks. Once the leader's
lead exceeds what the walks still to come could add to any other language (each adds at most
``1/7`` to one), no walk left can change the answer, so the rest are not walked. The walks that
are taken are langdetect's own: its profiles, text cleaning, n-grams, seed and code.
"""
from __future__ import annotations

import gc
import threading
from functools import lru_cache

from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

#: langdetect's seed for a deterministic answer (``DetectorFactory.seed = 0``).
SEED = 0
#: Room for rounding in the running sums when deciding that the leader can no longer be overtaken.
_ROUNDING = 1e-9
_factory_lock = threading.Lock()


class _DecidedEarly(Exception):
    """The walks so far already decide the most probable language."""

    def __init__(self, language: str | None) -> None:
        super().__init__(language)
        self.language = language


class _Detector(Detector):
    """langdetect's detector that stops walking when the remaining walks cannot change the leader."""

    def __init__(self, factory: detector_factory.DetectorFactory) -> None:
        super().__init__(factory)
        self.seed = SEED
        self._walks = 0

    def _init_probability(self) -> list[float]:
        # Called at the start of each walk: langprob holds the sum of the walks so far, divided by n_trial.
        if self._walks:
            self._stop_if_decided()
        self._walks += 1
        return list(super()._init_probability())

    def _stop_if_decided(self) -> None:
        ranked = sorted(self.langprob, reverse=True)
        remaining = (self.n_trial - self._walks) / self.n_trial
        if ranked[0] - ranked[1] > remaining + _ROUNDING and ranked[0] > self.PROB_THRESHOLD + _ROUNDING:
            raise _DecidedEarly(self.langlist[self.langprob.index(ranked[0])])


def _factory() -> detector_factory.DetectorFactory:
    with _factory_lock:
        if detector_factory._factory is None:
            detector_factory.init_factory()
            # Its profiles are ~90,000 lists that never change: left in the collector's sight, every
            # full collection walks them (~60 ms, a save's whole budget, at random). Garbage first,
            # then everything alive now (the profiles, the loaded modules, the app) is set aside.
            gc.collect()
            gc.freeze()
    return detector_factory._factory


@lru_cache(maxsize=4096)
def most_probable_language(text: str) -> str | None:
    """Return langdetect's ``detect_langs(text)[0].lang`` (seeded); ``None`` when it finds no language."""
    detector = _Detector(_factory())
    detector.append(text)
    try:
        guesses = detector.get_probabilities()
    except _DecidedEarly as decided:
        return decided.language
    except LangDetectException:
        return None
    return guesses[0].lang if guesses else None
