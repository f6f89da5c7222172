/** PBX-pushed events has no fields of its own: say what it does instead. */
export function PbxEventsSection() {
  return (
    <p className="field-help section-note">
      Your PBX posts each call&apos;s events to the listen port below, and Callbridge shows them on
      its lines. Set up the PBX with this computer&apos;s address and the listen port.
    </p>
  );
}
