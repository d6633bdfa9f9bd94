// Plume Thunderbird extension background script (being written).
