"""Multi-fidelity search: successive halving, Hyperband, ASHA, BOHB, BOHB-GP and freeze-thaw.

These algorithms decide both *what* to train and *with how much budget*: each suggestion
carries a budget (put into params under the ``resource`` name) and, for promoted
configurations, the trial it continues. Their state is rebuilt from trial meta.
"""
from hypersweep.algorithms.multifidelity.asha import ASHA
from hypersweep.algorithms.multifidelity.bohb import BOHB
from hypersweep.algorithms.multifidelity.bohb_gp import BOHBGP
from hypersweep.algorithms.multifidelity.freeze_thaw import FreezeThaw
from hypersweep.algorithms.multifidelity.hyperband import Hyperband, SuccessiveHalving

__all__ = ["ASHA", "BOHB", "BOHBGP", "FreezeThaw", "Hyperband", "SuccessiveHalving"]
