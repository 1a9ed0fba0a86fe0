package workroom

import "context"

// An address belongs to an account only once verified. Until then any
// number of accounts may have signed up with it; the first to verify it
// gets it, and the others lose it: their pending code stops working, they
// are told (whoami, the TUI) and may set another address with ChangeEmail.
// An address an account verified is refused to everyone else.

// errAddressTaken is what an account hears about an address another
// account verified first.
func errAddressTaken(address string) *Error {
	return Errorf(ECONFLICT, "%s was verified by another account", address).Because(RuleAddressTaken, address)
}

// ChangeEmail gives the actor a new, unverified address and mails a code
// to it. Only an address that is not verified can be changed (a typo at
// sign-up, or an address another account verified first). ECONFLICT when
// the actor's address is verified or an account verified the new one;
// ELIMIT when the new address had its day's codes.
func (s *Service) ChangeEmail(ctx context.Context, address string) (*User, error) {
	u, err := s.freshActor(ctx)
	if err != nil {
		return nil, err
	}
	if u.EmailVerified {
		return nil, errOwnAddressVerified(u.Email)
	}
	address, err = cleanEmail(address)
	if err != nil {
		return nil, err
	}
	if err := s.checkAddressFree(ctx, address); err != nil {
		return nil, err
	}
	if err := s.takeCodeMail(ctx, address); err != nil {
		return nil, err
	}
	code, v := s.newVerification(s.now())
	next := *u
	next.Email, next.EmailLost = address, false
	m := s.verificationMail(&next, code)
	switch err := s.enqueueAndWait(ctx, m, func() error { return s.store.SetEmail(ctx, u.ID, address, v, m) }); {
	case ErrorRule(err) == RuleAddressOwned:
		return nil, errAddressVerified(address)
	case ErrorRule(err) == RuleAddressVerified:
		return nil, errOwnAddressVerified(u.Email)
	case err != nil:
		return nil, err
	}
	s.log.Info("email changed", "user", u.ID)
	return &next, nil
}

// checkAddressFree refuses an address some account has verified.
func (s *Service) checkAddressFree(ctx context.Context, address string) error {
	_, err := s.store.UserByEmail(ctx, address)
	switch ErrorCode(err) {
	case ENOTFOUND:
		return nil
	case "":
		return errAddressVerified(address)
	}
	return err
}

// errAddressVerified refuses an address another account verified: the
// person may own that account, and the transport says how to link a key.
func errAddressVerified(address string) *Error {
	return Errorf(ECONFLICT, "%s belongs to an account", address).Because(RuleAddressOwned, address)
}

func errOwnAddressVerified(address string) *Error {
	return Errorf(ECONFLICT, "%s is verified and stays your address; changing a verified address is not supported", address).Because(RuleAddressVerified)
}

// freshActor returns the acting user as the store has them now: the
// account may have changed since the session began (an address verified
// or lost, a new address).
func (s *Service) freshActor(ctx context.Context) (*User, error) {
	u, err := s.actor(ctx)
	if err != nil {
		return nil, err
	}
	return s.store.User(ctx, u.ID)
}
