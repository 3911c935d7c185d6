#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tdmx-line end to end: encode -> (corrupt) -> decode for every mode, the
# timeslot extraction (raw and WAV), HDLC to LAPD pcap read back by tshark,
# the damage operations, and the error handling of bad input.
#
# Run from the repository root with $BUILD set (tests/run-unit.sh does):
#   BUILD=build/native sh tests/unit/tdmx-line.sh
# Exit 0 when every check passed; otherwise each failed check is printed.
set -u

BUILD=${BUILD:-build/native}
BIN=$BUILD/tdmx-line
if [ ! -x "$BIN" ]; then
	echo "tdmx-line.sh: $BIN not built" >&2
	exit 1
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/tdmx-line-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT INT TERM

failures=0
checks=0
current=""

begin() {
	current=$1
}

fail() {
	failures=$((failures + 1))
	echo "FAIL $current: $*"
}

# ok DESCRIPTION COMMAND...: the command must succeed
ok() {
	desc=$1
	shift
	checks=$((checks + 1))
	"$@" || fail "$desc"
}

# eq DESCRIPTION GOT WANT
eq() {
	checks=$((checks + 1))
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# within DESCRIPTION VALUE LOW HIGH: a number in [LOW, HIGH]
within() {
	checks=$((checks + 1))
	case $2 in
	'' | *[!0-9]*)
		fail "$1: got '$2', want a number in $3..$4"
		return
		;;
	esac
	if [ "$2" -lt "$3" ] || [ "$2" -gt "$4" ]; then
		fail "$1: got $2, want $3..$4"
	fi
}

# known DESCRIPTION COMMAND...: a framer issue that is reported but not fixed
# yet; printed, never fatal, so that the fix shows up as "now fixed".
known() {
	desc=$1
	shift
	if "$@"; then
		echo "note $current: now fixed: $desc"
	else
		echo "note $current: known framer issue (reported): $desc"
	fi
}

# must DESCRIPTION COMMAND...: a behaviour that must hold
must() {
	desc=$1
	shift
	"$@" || fail "$current: $desc"
}

# summary field of a decode output: sfield FILE KEY
sfield() {
	tail -n 1 "$1" | sed -n "s/.*\"$2\":\([^,}]*\).*/\1/p"
}

# first event of a type, its bit: evbit FILE EVENT
evbit() {
	grep "\"ev\":\"$2\"" "$1" | head -n 1 | sed -n 's/.*"bit":\([0-9]*\).*/\1/p'
}

count() {
	grep -c "$2" "$1"
}

is_summary_last() {
	tail -n 1 "$1" | grep -q '^{"ev":"summary","frames":[0-9]*,"fas_errors":[0-9]*,"crc_errors":[0-9]*,"ebit_errors":[0-9]*,"realignments":[0-9]*,"aligned":\(true\|false\),"crc4":\(true\|false\)'
}

decode() {
	"$BIN" decode "$@" >"$T/out.json" 2>"$T/err"
}

# -------------------------------------------------------------------------
# Round trips: a clean encoded line decodes aligned with no errors.
# roundtrip NAME MODE FRAMES [--cas] [encode-only options...]
roundtrip() {
	name=$1 mode=$2 frames=$3
	shift 3
	cas=""
	if [ "${1:-}" = "--cas" ]; then
		cas=--cas
		shift
	fi
	begin "$name"
	ok "encode exits 0" "$BIN" encode --mode "$mode" $cas --frames "$frames" "$@" >"$T/line.raw"
	ok "decode exits 0" decode --mode "$mode" $cas "$T/line.raw"
	ok "summary is the last line" is_summary_last "$T/out.json"
	eq "fas_errors" "$(sfield "$T/out.json" fas_errors)" 0
	eq "crc_errors" "$(sfield "$T/out.json" crc_errors)" 0
	eq "ebit_errors" "$(sfield "$T/out.json" ebit_errors)" 0
	eq "realignments" "$(sfield "$T/out.json" realignments)" 0
	eq "error events" "$(grep -c 'frame_loss\|crc4_error\|crc6_error\|"ebit"\|"alarm"\|_loss' "$T/out.json")" 0
}

test_e1_unframed_roundtrip() {
	roundtrip test_e1_unframed_roundtrip e1-unframed 800
	eq "unframed is never aligned" "$(sfield "$T/out.json" aligned)" false
	eq "no events but the summary" "$(wc -l <"$T/out.json" | tr -d ' ')" 1
	eq "file size" "$(wc -c <"$T/line.raw" | tr -d ' ')" $((800 * 32))
}

test_e1_doubleframe_roundtrip() {
	roundtrip test_e1_doubleframe_roundtrip e1 800
	eq "aligned" "$(sfield "$T/out.json" aligned)" true
	eq "crc4" "$(sfield "$T/out.json" crc4)" false
	eq "frame_sync at bit 0" "$(evbit "$T/out.json" frame_sync)" 0
	eq "no crc4 events" "$(count "$T/out.json" crc4_)" 0
	eq "every frame counted, the last one too" "$(sfield "$T/out.json" frames)" 800
}

test_e1_crc4_roundtrip() {
	roundtrip test_e1_crc4_roundtrip e1-crc4 800
	eq "aligned" "$(sfield "$T/out.json" aligned)" true
	eq "crc4" "$(sfield "$T/out.json" crc4)" true
	eq "frame_sync at bit 0" "$(evbit "$T/out.json" frame_sync)" 0
	eq "one crc4_sync" "$(count "$T/out.json" crc4_sync)" 1
	# the second MFAS is in multiframe 1 (G.706 4.2: 2 ms apart)
	eq "crc4_sync at a multiframe start" "$(($(evbit "$T/out.json" crc4_sync) % 4096))" 0
	eq "no interworking" "$(count "$T/out.json" crc4_interworking)" 0
	eq "frames" "$(sfield "$T/out.json" frames)" 800
}

# the ABCD values set on encode come back, unset timeslots send 1101 (idle)
check_e1_abcd() {
	eq "ts 1 abcd" "$(grep '"ts":1,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 1001
	eq "ts 17 abcd" "$(grep '"ts":17,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 0101
	eq "ts 31 abcd" "$(grep '"ts":31,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 1111
	eq "ts 2 abcd (idle)" "$(grep '"ts":2,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 1101
	eq "one abcd per timeslot" "$(count "$T/out.json" '"ev":"abcd"')" 30
	eq "one cas_sync" "$(count "$T/out.json" cas_sync)" 1
	eq "no abcd for ts 16" "$(count "$T/out.json" '"ts":16,')" 0
	eq "abcd shape" "$(grep '"ts":1,' "$T/out.json" | sed 's/"bit":[0-9]*/"bit":B/')" \
		'{"ev":"abcd","bit":B,"ts":1,"abcd":"1001"}'
}

test_e1_cas_roundtrip() {
	roundtrip test_e1_cas_roundtrip e1 800 --cas --abcd 1:1001 --abcd 17:0101 --abcd 31:1111
	eq "frame_sync at bit 0" "$(evbit "$T/out.json" frame_sync)" 0
	check_e1_abcd
}

test_e1_crc4_cas_roundtrip() {
	roundtrip test_e1_crc4_cas_roundtrip e1-crc4 800 --cas --abcd 1:1001 --abcd 17:0101 \
		--abcd 31:1111
	eq "frame_sync at bit 0" "$(evbit "$T/out.json" frame_sync)" 0
	eq "crc4" "$(sfield "$T/out.json" crc4)" true
	check_e1_abcd
}

test_t1_d4_roundtrip() {
	roundtrip test_t1_d4_roundtrip t1-d4 960
	eq "aligned" "$(sfield "$T/out.json" aligned)" true
	eq "crc4 is false on T1" "$(sfield "$T/out.json" crc4)" false
	eq "frame_sync at bit 0" "$(evbit "$T/out.json" frame_sync)" 0
	eq "frames" "$(sfield "$T/out.json" frames)" 960
	# 960 * 193 bits = 23160 octets exactly; 961 frames need a padded octet
	eq "file size" "$(wc -c <"$T/line.raw" | tr -d ' ')" 23160
	"$BIN" encode --mode t1-d4 --frames 961 >"$T/l961.raw"
	eq "ceil(N*193/8) octets" "$(wc -c <"$T/l961.raw" | tr -d ' ')" 23185
	last=$(tail -c 1 "$T/l961.raw" | od -An -tu1 | tr -d ' ')
	eq "last octet: 1 frame bit, then 7 pad ones" $((last & 0x7F)) 127
}

test_t1_d4_robbed_bits_roundtrip() {
	roundtrip test_t1_d4_robbed_bits_roundtrip t1-d4 960 --cas --abcd 1:1001 --abcd 24:0101
	# D4 carries A and B only; the receiver repeats them as C and D
	eq "ch 1 abcd" "$(grep '"ts":1,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 1010
	eq "ch 24 abcd" "$(grep '"ts":24,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 0101
	eq "one abcd per channel" "$(count "$T/out.json" '"ev":"abcd"')" 24
}

test_t1_esf_roundtrip() {
	roundtrip test_t1_esf_roundtrip t1-esf 960
	eq "aligned" "$(sfield "$T/out.json" aligned)" true
	sync=$(evbit "$T/out.json" frame_sync)
	checks=$((checks + 1))
	[ "$sync" = 0 ] || [ "$sync" = 4632 ] || fail "frame_sync at an ESF start: got $sync"
	must "t1-esf frame_sync at bit 0 of a line that starts with an ESF (got $sync)" \
		[ "$sync" = 0 ]
	eq "frames after frame_sync" "$(sfield "$T/out.json" frames)" $((960 - sync / 193))
}

test_t1_esf_robbed_bits_roundtrip() {
	roundtrip test_t1_esf_robbed_bits_roundtrip t1-esf 960 --cas --abcd 1:1001 --abcd 24:0110
	eq "ch 1 abcd" "$(grep '"ts":1,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 1001
	eq "ch 24 abcd" "$(grep '"ts":24,' "$T/out.json" | sed -n 's/.*"abcd":"\([01]*\)".*/\1/p')" 0110
	eq "one abcd per channel" "$(count "$T/out.json" '"ev":"abcd"')" 24
}

# -------------------------------------------------------------------------
# --extract: what --ts put in comes out bit-exact; WAV headers are valid.

# extract_roundtrip MODE TS FILL
extract_roundtrip() {
	mode=$1 ts=$2 fill=$3
	"$BIN" encode --mode "$mode" --frames 1000 --ts "$ts:$T/data.bin" >"$T/x.raw"
	ok "$mode decode --extract" decode --mode "$mode" --extract "$ts:$T/x.out" "$T/x.raw"
	case $mode in
	t1-*) skip=$(( $(evbit "$T/out.json" frame_sync) / 193 )) ;;
	e1-unframed) skip=0 ;;
	*) skip=$(( $(evbit "$T/out.json" frame_sync) / 256 )) ;;
	esac
	n=$((800 - skip))
	tail -c +$((skip + 1)) "$T/data.bin" | head -c "$n" >"$T/want.bin"
	head -c "$n" "$T/x.out" >"$T/got.bin"
	ok "$mode ts $ts octets are bit-exact" cmp -s "$T/want.bin" "$T/got.bin"
	eq "$mode ts $ts fill after the file" \
		"$(tail -c +$((n + 1)) "$T/x.out" | od -An -tx1 -v | tr -s ' ' '\n' | sort -u | tr -d '\n')" \
		"$fill"
}

test_extract_raw_is_bit_exact() {
	begin test_extract_raw_is_bit_exact
	head -c 800 /dev/urandom >"$T/data.bin"
	extract_roundtrip e1 5 d5
	extract_roundtrip e1-crc4 31 d5
	extract_roundtrip e1-unframed 0 d5
	extract_roundtrip t1-d4 1 7f
	extract_roundtrip t1-esf 24 7f
}

# little-endian u32 as hex
le32() {
	printf '%02x%02x%02x%02x' $(($1 & 255)) $(($1 >> 8 & 255)) $(($1 >> 16 & 255)) $(($1 >> 24 & 255))
}

# check_wav FILE FORMAT SAMPLES
check_wav() {
	f=$1 fmt=$2 n=$3
	hdr=$(od -An -tx1 -N 58 -v "$f" | tr -d ' \n')
	pad=$((n & 1))
	want="52494646$(le32 $((50 + n + pad)))57415645"			# RIFF size WAVE
	want="${want}666d7420120000000${fmt}000100401f0000401f0000010008000000"	# fmt
	want="${want}6661637404000000$(le32 "$n")"				# fact
	want="${want}64617461$(le32 "$n")"					# data
	eq "$f header" "$hdr" "$want"
	eq "$f size" "$(wc -c <"$f" | tr -d ' ')" $((58 + n + pad))
	if command -v file >/dev/null 2>&1; then
		case $fmt in
		6) law="A-law" ;;
		*) law="mu-law" ;;
		esac
		ok "file(1) sees $law 8000 Hz" sh -c "file '$f' | grep -q '$law, mono 8000 Hz'"
	fi
}

test_extract_wav_has_valid_header() {
	begin test_extract_wav_has_valid_header
	"$BIN" encode --mode e1 --frames 999 --ts "5:$T/data.bin" >"$T/x.raw"
	ok "decode E1 --extract .wav" decode --mode e1 --extract "5:$T/e1.wav" \
		--extract "5:$T/e1.raw" "$T/x.raw"
	n=$(wc -c <"$T/e1.raw" | tr -d ' ')
	check_wav "$T/e1.wav" 6 "$n"
	ok "WAV data equals the raw extract" sh -c "tail -c +59 '$T/e1.wav' | head -c $n | cmp -s - '$T/e1.raw'"
	"$BIN" encode --mode t1-d4 --frames 1000 --ts "7:$T/data.bin" >"$T/x.raw"
	ok "decode T1 --extract .wav" decode --mode t1-d4 --extract "7:$T/t1.wav" "$T/x.raw"
	check_wav "$T/t1.wav" 7 1000
	# and a WAV goes back in through encode --ts
	"$BIN" encode --mode t1-d4 --frames 1000 --ts "9:$T/t1.wav" >"$T/y.raw"
	ok "decode the re-encoded WAV" decode --mode t1-d4 --extract "9:$T/t1b.raw" "$T/y.raw"
	ok "WAV round trip" sh -c "tail -c +59 '$T/t1.wav' | head -c 1000 | cmp -s - '$T/t1b.raw'"
}

# -------------------------------------------------------------------------
# --hdlc: frames in, LAPD pcap out, read by tshark.

# hex of each frame, one per line, from tshark -x
tshark_frames() {
	tshark -r "$1" -x 2>/dev/null | awk '
		/^[0-9a-f][0-9a-f][0-9a-f][0-9a-f]  / { s = s substr($0, 7, 48); next }
		{ if (s != "") { gsub(/ /, "", s); print s; s = "" } }
		END { if (s != "") { gsub(/ /, "", s); print s } }'
}

# hdlc_roundtrip MODE TS [RATE]
hdlc_roundtrip() {
	mode=$1 ts=$2 rate=${3:+--hdlc-rate $3}
	ok "$mode $rate encode --hdlc" sh -c "'$BIN' encode --mode $mode $rate --frames 800 --hdlc $ts:'$T/frames.txt' >'$T/h.raw'"
	# shellcheck disable=SC2086 # $rate is zero or two words
	ok "$mode $rate decode --hdlc" decode --mode "$mode" $rate --hdlc "$ts:$T/h.pcap" "$T/h.raw"
	eq "$mode hdlc_summary" "$(grep hdlc_summary "$T/out.json")" \
		"{\"ev\":\"hdlc_summary\",\"ts\":$ts,\"frames\":5,\"fcs_errors\":0,\"aborts\":0,\"too_short\":0,\"too_long\":0,\"misaligned\":0}"
	ok "$mode summary still last" is_summary_last "$T/out.json"
	if [ "$have_tshark" = 1 ]; then
		tshark_frames "$T/h.pcap" >"$T/got.txt"
		ok "$mode tshark payloads match" cmp -s "$T/want.txt" "$T/got.txt"
		eq "$mode tshark SAPIs" "$(tshark -r "$T/h.pcap" -T fields -e lapd.sapi 2>/dev/null | tr '\n' ' ')" \
			"0 0 0 63 31 "
	fi
}

test_hdlc_roundtrip_to_lapd_pcap() {
	begin test_hdlc_roundtrip_to_lapd_pcap
	cat >"$T/frames.txt" <<-'EOF'
	# SABME from the network, UA back, an I frame, UI TEI management, odd bytes
	02 01 7f
	00017f
	02 01 00 00 08 02 00 01 05 04 03 80 90 a3   # SETUP
	fe ff 03 0f 12 34 01 ff

	7e 7e 7d 7d ff 00 7e
	EOF
	sed 's/#.*//' "$T/frames.txt" | tr -d ' ' | grep -v '^$' >"$T/want.txt"
	have_tshark=0
	if command -v tshark >/dev/null 2>&1; then
		have_tshark=1
	else
		echo "note $current: tshark missing, pcap contents not checked"
	fi
	hdlc_roundtrip e1 16
	hdlc_roundtrip e1-crc4 1
	hdlc_roundtrip t1-esf 24
	hdlc_roundtrip t1-d4 12
	hdlc_roundtrip t1-esf 23 64
	hdlc_roundtrip e1-crc4 16 56
	# a 64 kbit/s clear channel read at 56 kbit/s yields no good frame
	"$BIN" encode --mode t1-esf --hdlc-rate 64 --frames 800 --hdlc "3:$T/frames.txt" >"$T/h64.raw"
	ok "64k line decoded at 56k" decode --mode t1-esf --hdlc "3:$T/h64.pcap" "$T/h64.raw"
	eq "no frames at the wrong rate" "$(grep -o '"ts":3,"frames":[0-9]*' "$T/out.json")" '"ts":3,"frames":0'
	if [ "$have_tshark" = 1 ]; then
		ok "tshark decodes LAPD" sh -c "tshark -r '$T/h.pcap' -V 2>/dev/null | grep -q 'Link Access Procedure, Channel D (LAPD)'"
		eq "link type" "$(od -An -tu4 -j 20 -N 4 "$T/h.pcap" | tr -d ' ')" 177
	fi
	# a pcap is an input too: encode from the capture just written
	cp "$T/h.pcap" "$T/in.pcap"
	"$BIN" encode --mode e1 --frames 800 --hdlc "16:$T/in.pcap" >"$T/h2.raw"
	ok "decode of a line encoded from a pcap" decode --mode e1 --hdlc "16:$T/h2.pcap" "$T/h2.raw"
	eq "frames from the pcap" "$(grep -o '"ts":16,"frames":[0-9]*' "$T/out.json")" '"ts":16,"frames":5'
	if [ "$have_tshark" = 1 ]; then
		tshark_frames "$T/h2.pcap" >"$T/got.txt"
		ok "pcap -> line -> pcap keeps the frames" cmp -s "$T/want.txt" "$T/got.txt"
	fi
	"$BIN" encode --mode e1 --frames 66 --hdlc "16:$T/frames.txt" >/dev/null 2>"$T/err"
	ok "too few frames: a warning" grep -q '^tdmx-line: warning: --hdlc 16: only 0 of 5 frames' "$T/err"
}

# -------------------------------------------------------------------------
# corrupt: each kind of damage is seen where it was put.

test_corrupt_without_damage_is_identity() {
	begin test_corrupt_without_damage_is_identity
	"$BIN" encode --mode e1-crc4 --frames 400 >"$T/l.raw"
	ok "no options: identical" sh -c "'$BIN' corrupt <'$T/l.raw' | cmp -s - '$T/l.raw'"
	ok "FILE argument: identical" sh -c "'$BIN' corrupt '$T/l.raw' | cmp -s - '$T/l.raw'"
	ok "--ber 0: identical" sh -c "'$BIN' corrupt --ber 0 - <'$T/l.raw' | cmp -s - '$T/l.raw'"
}

test_corrupt_flip_gives_one_crc4_error_in_its_smf() {
	begin test_corrupt_flip_gives_one_crc4_error_in_its_smf
	"$BIN" encode --mode e1-crc4 --frames 800 >"$T/l.raw"
	# a bit of TS5 in frame 9 of multiframe 6: SMF II, which starts at 6*4096+2048
	bit=$((6 * 4096 + 9 * 256 + 5 * 8 + 3))
	"$BIN" corrupt --flip $bit "$T/l.raw" >"$T/c.raw"
	ok "decode" decode --mode e1-crc4 "$T/c.raw"
	eq "one crc4_error" "$(grep '"ev":"crc4_error"' "$T/out.json")" \
		"{\"ev\":\"crc4_error\",\"bit\":$((6 * 4096 + 2048)),\"smf\":1}"
	eq "crc_errors" "$(sfield "$T/out.json" crc_errors)" 1
	eq "still aligned, no realignment" "$(sfield "$T/out.json" aligned)/$(sfield "$T/out.json" realignments)" true/0
	# an FAS bit: one fas_error and a CRC-4 error in SMF I of multiframe 10
	bit=$((10 * 4096 + 2 * 256 + 4))
	"$BIN" corrupt --flip $bit "$T/l.raw" >"$T/c.raw"
	ok "decode FAS flip" decode --mode e1-crc4 "$T/c.raw"
	eq "fas_errors" "$(sfield "$T/out.json" fas_errors)" 1
	eq "crc4_error of SMF I" "$(grep '"ev":"crc4_error"' "$T/out.json")" \
		"{\"ev\":\"crc4_error\",\"bit\":$((10 * 4096)),\"smf\":0}"
}

test_corrupt_slip_loses_and_regains_alignment() {
	begin test_corrupt_slip_loses_and_regains_alignment
	"$BIN" encode --mode e1-crc4 --frames 1600 >"$T/l.raw"
	"$BIN" corrupt --slip 100000 "$T/l.raw" >"$T/c.raw"
	eq "the stream is one bit shorter (padded to the same octets)" \
		"$(wc -c <"$T/c.raw" | tr -d ' ')" "$(wc -c <"$T/l.raw" | tr -d ' ')"
	ok "decode" decode --mode e1-crc4 "$T/c.raw"
	loss=$(evbit "$T/out.json" frame_loss)
	eq "one frame_loss" "$(count "$T/out.json" frame_loss)" 1
	within "frame_loss within 3 FAS after the slip" "$loss" 100001 $((100000 + 4 * 512))
	sync=$(grep '"ev":"frame_sync"' "$T/out.json" | tail -n 1 | sed -n 's/.*"bit":\([0-9]*\).*/\1/p')
	within "frame_sync after the loss" "$sync" $((loss + 1)) $((loss + 4096))
	eq "frame_sync one bit early" $(( (sync + 1) % 256 )) 0
	eq "realignments" "$(sfield "$T/out.json" realignments)" 1
	eq "aligned at the end" "$(sfield "$T/out.json" aligned)/$(sfield "$T/out.json" crc4)" true/true
	eq "lof on and off" "$(grep -c '"alarm":"lof"' "$T/out.json")" 2
}

test_corrupt_insert_shifts_frame_sync() {
	begin test_corrupt_insert_shifts_frame_sync
	# k zero bits before the line: 1..255, from the clock
	k=$(( $(date +%s) % 255 + 1 ))
	ins=""
	i=0
	while [ $i -lt $k ]; do
		ins="$ins --insert 0"
		i=$((i + 1))
	done
	for mode in e1 e1-crc4 t1-d4; do
		# shellcheck disable=SC2086 # one --insert 0 per word
		"$BIN" encode --mode "$mode" --frames 480 | "$BIN" corrupt $ins >"$T/c.raw"
		ok "$mode decode" decode --mode "$mode" "$T/c.raw"
		eq "$mode frame_sync after $k bits" "$(evbit "$T/out.json" frame_sync)" "$k"
		eq "$mode aligned" "$(sfield "$T/out.json" aligned)" true
	done
	# shellcheck disable=SC2086 # one --insert 0 per word
	"$BIN" encode --mode e1-crc4 --frames 480 | "$BIN" corrupt $ins >"$T/c.raw"
	decode --mode e1-crc4 "$T/c.raw"
	eq "crc4_sync shifted by $k" "$(( $(evbit "$T/out.json" crc4_sync) % 4096 ))" "$k"
	eq "insert makes the stream $k bits longer" "$(wc -c <"$T/c.raw" | tr -d ' ')" \
		$(( (480 * 256 + k + 7) / 8 ))
}

test_corrupt_zeros_raise_and_clear_los() {
	begin test_corrupt_zeros_raise_and_clear_los
	"$BIN" encode --mode e1-crc4 --frames 1600 >"$T/l.raw"
	"$BIN" corrupt --zeros 100000:4000 "$T/l.raw" >"$T/c.raw"
	ok "decode" decode --mode e1-crc4 "$T/c.raw"
	on=$(grep '"alarm":"los","on":true' "$T/out.json" | sed -n 's/.*"bit":\([0-9]*\).*/\1/p')
	off=$(grep '"alarm":"los","on":false' "$T/out.json" | sed -n 's/.*"bit":\([0-9]*\).*/\1/p')
	within "los on within the first 255 zeros" "$on" 99990 $((100000 + 255))
	within "los off just after the zeros" "$off" 104000 $((104000 + 2 * 255))
	eq "one los pair" "$(grep -c '"alarm":"los"' "$T/out.json")" 2
	eq "realigned" "$(sfield "$T/out.json" aligned)" true
}

test_corrupt_ones_raise_ais() {
	begin test_corrupt_ones_raise_ais
	"$BIN" encode --mode e1 --frames 1600 >"$T/l.raw"
	"$BIN" corrupt --ones 100000:20000 "$T/l.raw" >"$T/c.raw"
	ok "decode" decode --mode e1 "$T/c.raw"
	on=$(grep '"alarm":"ais","on":true' "$T/out.json" | head -n 1 | sed -n 's/.*"bit":\([0-9]*\).*/\1/p')
	within "ais on near the start of the ones" "$on" $((100000 - 512)) $((100000 + 3 * 512))
	ok "ais off" grep -q '"alarm":"ais","on":false' "$T/out.json"
	eq "realigned" "$(sfield "$T/out.json" aligned)" true
	must "AIS is declared once (got $(grep -c '"alarm":"ais","on":true' "$T/out.json") ais on)" \
		[ "$(grep -c '"alarm":"ais","on":true' "$T/out.json")" = 1 ]
}

test_corrupt_ber_is_deterministic() {
	begin test_corrupt_ber_is_deterministic
	"$BIN" encode --mode e1 --frames 4000 >"$T/l.raw"
	"$BIN" corrupt --ber 1e-3 --seed 7 "$T/l.raw" >"$T/a.raw"
	"$BIN" corrupt --ber 1e-3 --seed 7 "$T/l.raw" >"$T/b.raw"
	"$BIN" corrupt --ber 1e-3 --seed 8 "$T/l.raw" >"$T/c.raw"
	ok "same seed, same errors" cmp -s "$T/a.raw" "$T/b.raw"
	ok "other seed, other errors" sh -c "! cmp -s '$T/a.raw' '$T/c.raw'"
	# 1,024,000 bits at 1e-3: ~1024 errored bits, nearly all in distinct octets
	n=$(cmp -l "$T/l.raw" "$T/a.raw" | wc -l)
	within "errored octets at 1e-3" "$n" 850 1200
	eq "same length" "$(wc -c <"$T/a.raw" | tr -d ' ')" "$(wc -c <"$T/l.raw" | tr -d ' ')"
	"$BIN" corrupt --ber 1 "$T/l.raw" >"$T/d.raw"
	eq "--ber 1 changes every octet" "$(cmp -l "$T/l.raw" "$T/d.raw" | wc -l | tr -d ' ')" \
		"$(wc -c <"$T/l.raw" | tr -d ' ')"
	eq "--ber 1 inverts" "$(head -c 1 "$T/d.raw" | od -An -tu1 | tr -d ' ')" \
		$((255 - $(head -c 1 "$T/l.raw" | od -An -tu1)))
}

# -------------------------------------------------------------------------
# Input that never aligns, and bad input.

test_random_bytes_give_a_summary() {
	begin test_random_bytes_give_a_summary
	head -c 100000 /dev/urandom >"$T/rnd.raw"
	for mode in e1-unframed e1 e1-crc4 t1-d4 t1-esf; do
		decode --mode "$mode" "$T/rnd.raw"
		eq "$mode exit status" $? 0
		ok "$mode summary last" is_summary_last "$T/out.json"
	done
	ok "empty input: a summary" sh -c "'$BIN' decode --mode e1 - </dev/null | grep -q '\"frames\":0,'"
}

test_aligns_after_long_noise() {
	begin test_aligns_after_long_noise
	# the same noise every run: corrupt --ber 0.5 of zeros with a fixed seed
	head -c 5000 /dev/zero | "$BIN" corrupt --ber 0.5 --seed 3 >"$T/noise.raw"
	for mode in e1 t1-d4; do
		"$BIN" encode --mode "$mode" --frames 800 >"$T/l.raw"
		cat "$T/noise.raw" "$T/l.raw" >"$T/c.raw"
		decode --mode "$mode" "$T/c.raw"
		case $mode in
		e1) must "e1 aligns on a line after 5000 octets of noise" \
			grep -q '"aligned":true' "$T/out.json" ;;
		*) ok "$mode aligned after 5000 octets of noise" grep -q '"aligned":true' "$T/out.json" ;;
		esac
	done
}

# bad_input DESCRIPTION ARGS...: exit 2, one line "tdmx-line: ...", no stdout
bad_input() {
	desc=$1
	shift
	"$BIN" "$@" >"$T/bad.out" 2>"$T/bad.err" </dev/null
	st=$?
	checks=$((checks + 1))
	if [ "$st" != 2 ]; then
		fail "$desc: exit status $st, want 2"
		return
	fi
	checks=$((checks + 1))
	if ! head -n 1 "$T/bad.err" | grep -q '^tdmx-line: .'; then
		fail "$desc: message '$(head -n 1 "$T/bad.err")'"
		return
	fi
	eq "$desc: one line" "$(wc -l <"$T/bad.err" | tr -d ' ')" 1
	eq "$desc: nothing on stdout" "$(wc -c <"$T/bad.out" | tr -d ' ')" 0
}

test_bad_input_exits_2() {
	begin test_bad_input_exits_2
	"$BIN" encode --mode e1 --frames 10 >"$T/ok.raw"
	printf '02 01 7f\n02 0\n' >"$T/odd.txt"
	printf 'zz\n' >"$T/nothex.txt"
	printf 'RIFF\044\000\000\000WAVEfmt ' >"$T/broken.wav"
	head -c 100 "$T/t1.wav" >"$T/short.wav"
	head -c 30 "$T/h.pcap" >"$T/short.pcap"
	bad_input "unknown command" frobnicate
	bad_input "no command"
	bad_input "unknown mode" decode --mode e3 "$T/ok.raw"
	bad_input "missing --mode" decode "$T/ok.raw"
	bad_input "--mode without value" decode "$T/ok.raw" --mode
	bad_input "unreadable file" decode --mode e1 "$T/does-not-exist"
	bad_input "no input file" decode --mode e1
	bad_input "two input files" decode --mode e1 "$T/ok.raw" "$T/ok.raw"
	bad_input "unknown option" decode --mode e1 --bogus "$T/ok.raw"
	bad_input "short unknown option" decode --mode e1 -x "$T/ok.raw"
	bad_input "flag with a value" decode --mode e1 --cas=1 "$T/ok.raw"
	bad_input "--extract without colon" decode --mode e1 --extract 5 "$T/ok.raw"
	bad_input "--extract E1 TS 32" decode --mode e1 --extract "32:$T/x" "$T/ok.raw"
	bad_input "--extract T1 channel 0" decode --mode t1-d4 --extract "0:$T/x" "$T/ok.raw"
	bad_input "--extract T1 channel 25" decode --mode t1-esf --extract "25:$T/x" "$T/ok.raw"
	bad_input "--extract to a missing dir" decode --mode e1 --extract "5:$T/no/dir/x" "$T/ok.raw"
	bad_input "--hdlc on TS16 with --cas" decode --mode e1 --cas --hdlc "16:$T/x.pcap" "$T/ok.raw"
	bad_input "--hdlc on TS0" decode --mode e1-crc4 --hdlc "0:$T/x.pcap" "$T/ok.raw"
	bad_input "--hdlc-rate 48" decode --mode e1 --hdlc-rate 48 --hdlc "1:$T/x.pcap" "$T/ok.raw"
	bad_input "--hdlc-rate 64 with robbed bits" decode --mode t1-esf --cas --hdlc-rate 64 \
		--hdlc "3:$T/x.pcap" "$T/ok.raw"
	bad_input "--cas unframed" decode --mode e1-unframed --cas "$T/ok.raw"
	bad_input "--frames 0" encode --mode e1 --frames 0
	bad_input "--frames not a number" encode --mode e1 --frames ten
	bad_input "--frames negative" encode --mode e1 --frames -5
	bad_input "--frames missing" encode --mode e1
	bad_input "encode: unknown mode" encode --mode t2 --frames 10
	bad_input "--abcd 0000 on E1" encode --mode e1 --cas --frames 10 --abcd 1:0000
	bad_input "--abcd 3 digits" encode --mode e1 --cas --frames 10 --abcd 1:101
	bad_input "--abcd 5 digits" encode --mode e1 --cas --frames 10 --abcd 1:10101
	bad_input "--abcd not binary" encode --mode e1 --cas --frames 10 --abcd 1:1201
	bad_input "--abcd without --cas" encode --mode e1 --frames 10 --abcd 1:1101
	bad_input "--abcd on TS16" encode --mode e1 --cas --frames 10 --abcd 16:1101
	bad_input "--abcd T1 channel 25" encode --mode t1-d4 --cas --frames 10 --abcd 25:1101
	bad_input "--ts TS out of range" encode --mode e1 --frames 10 --ts "32:$T/data.bin"
	bad_input "--ts TS0 framed" encode --mode e1 --frames 10 --ts "0:$T/data.bin"
	bad_input "--ts TS16 with --cas" encode --mode e1 --cas --frames 10 --ts "16:$T/data.bin"
	bad_input "--ts missing file" encode --mode e1 --frames 10 --ts "1:$T/nope"
	bad_input "--ts broken WAV" encode --mode e1 --frames 10 --ts "1:$T/broken.wav"
	bad_input "--ts truncated WAV" encode --mode t1-d4 --frames 10 --ts "1:$T/short.wav"
	bad_input "--ts mu-law WAV on E1" encode --mode e1 --frames 10 --ts "1:$T/t1.wav"
	bad_input "--hdlc odd hex digits" encode --mode e1 --frames 10 --hdlc "16:$T/odd.txt"
	bad_input "--hdlc not hex" encode --mode e1 --frames 10 --hdlc "16:$T/nothex.txt"
	bad_input "--hdlc truncated pcap" encode --mode e1 --frames 10 --hdlc "16:$T/short.pcap"
	bad_input "--hdlc and --ts on one TS" encode --mode e1 --frames 10 --hdlc "5:$T/frames.txt" \
		--ts "5:$T/data.bin"
	bad_input "--fill too big" encode --mode e1 --frames 10 --fill 1FF
	bad_input "--fill not hex" encode --mode e1 --frames 10 --fill xy
	bad_input "--sa on T1" encode --mode t1-esf --frames 10 --sa 1F
	bad_input "--sa too big" encode --mode e1 --frames 10 --sa 20
	bad_input "--rai unframed" encode --mode e1-unframed --frames 10 --rai
	bad_input "encode: extra argument" encode --mode e1 --frames 10 "$T/ok.raw"
	bad_input "--ber above 1" corrupt --ber 2 "$T/ok.raw"
	bad_input "--ber not a number" corrupt --ber lots "$T/ok.raw"
	bad_input "--flip not a number" corrupt --flip x "$T/ok.raw"
	bad_input "--zeros without length" corrupt --zeros 10 "$T/ok.raw"
	bad_input "--ones length 0" corrupt --ones 10:0 "$T/ok.raw"
	bad_input "corrupt: unreadable file" corrupt "$T/does-not-exist"
	bad_input "help for an unknown command" help frobnicate
}

test_help_exits_0() {
	begin test_help_exits_0
	for args in "--help" "help" "-h" "decode --help" "encode --help" "corrupt --help" "help corrupt"; do
		# shellcheck disable=SC2086
		"$BIN" $args >"$T/help.out" 2>&1
		eq "'$args' exit status" $? 0
		ok "'$args' prints usage" grep -q 'tdmx-line' "$T/help.out"
	done
	ok "--help lists every command" sh -c "'$BIN' --help | grep -q 'tdmx-line corrupt' && '$BIN' --help | grep -q 'tdmx-line encode' && '$BIN' --help | grep -q 'tdmx-line decode'"
}

for t in \
	test_e1_unframed_roundtrip \
	test_e1_doubleframe_roundtrip \
	test_e1_crc4_roundtrip \
	test_e1_cas_roundtrip \
	test_e1_crc4_cas_roundtrip \
	test_t1_d4_roundtrip \
	test_t1_d4_robbed_bits_roundtrip \
	test_t1_esf_roundtrip \
	test_t1_esf_robbed_bits_roundtrip \
	test_extract_raw_is_bit_exact \
	test_extract_wav_has_valid_header \
	test_hdlc_roundtrip_to_lapd_pcap \
	test_corrupt_without_damage_is_identity \
	test_corrupt_flip_gives_one_crc4_error_in_its_smf \
	test_corrupt_slip_loses_and_regains_alignment \
	test_corrupt_insert_shifts_frame_sync \
	test_corrupt_zeros_raise_and_clear_los \
	test_corrupt_ones_raise_ais \
	test_corrupt_ber_is_deterministic \
	test_random_bytes_give_a_summary \
	test_aligns_after_long_noise \
	test_bad_input_exits_2 \
	test_help_exits_0
do
	before=$failures
	$t
	[ "$failures" = "$before" ] || echo "  ($t failed)"
done

echo "tdmx-line.sh ($BUILD): $checks checks, $failures failed"
[ "$failures" = 0 ]
